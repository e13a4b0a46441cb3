package dev.tablesync.binlog;

import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;

/**
 * Refuses MySQL's compressed transaction payloads ({@code binlog_transaction_compression=ON}, global or set by one
 * session) with a message naming the fix. The library's own decoder needs zstd-jni, which is left out of the build:
 * it threw {@code NoClassDefFoundError}, which killed the client's thread without telling any listener, so the
 * stream reconnected to the same event forever while the mapping's lag grew. An unchecked exception here reaches
 * the stream's deserialization-failure listener unwrapped (the library wraps only IOExceptions, hiding their
 * message), which fails the subscribers at their saved positions; a fatal failure, not a transient one: the event
 * stays in the log, so no retry can pass it.
 */
final class CompressedPayloads implements EventDataDeserializer<EventData> {

    static final String REFUSAL = "the source's binary log holds a compressed transaction payload"
            + " (binlog_transaction_compression=ON, for the server or set by one session), which tablesync cannot"
            + " read: set binlog_transaction_compression=OFF on the source (SET PERSIST"
            + " binlog_transaction_compression = OFF) and keep sessions from turning it on, then reset the mapping"
            + " (it copies the table again from a new position: the log keeps the compressed transaction)";

    @Override
    public EventData deserialize(ByteArrayInputStream inputStream) {
        throw new IllegalStateException(REFUSAL);
    }
}
