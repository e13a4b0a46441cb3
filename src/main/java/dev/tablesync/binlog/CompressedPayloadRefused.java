package dev.tablesync.binlog;

import java.io.IOException;

import com.github.shyiko.mysql.binlog.event.TransactionPayloadEventData;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import com.oracle.svm.core.annotate.Substitute;
import com.oracle.svm.core.annotate.TargetClass;

/**
 * Native image only: the library's decoder of MySQL's compressed transaction payloads
 * ({@code binlog_transaction_compression=ON}) calls zstd-jni, which is left out of the build (it broke the native
 * image), so the native executable refuses such an event with a message that names the fix instead of failing to
 * build. The stream never calls it ({@link CompressedPayloads} takes its place); it is still reachable from the
 * library's default deserializer table.
 */
@TargetClass(className = "com.github.shyiko.mysql.binlog.event.deserialization.TransactionPayloadEventDataDeserializer")
final class CompressedPayloadRefused {

    private CompressedPayloadRefused() {
    }

    @Substitute
    public TransactionPayloadEventData deserialize(ByteArrayInputStream inputStream) throws IOException {
        throw new IOException(CompressedPayloads.REFUSAL);
    }
}
