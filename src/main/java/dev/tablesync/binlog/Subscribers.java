package dev.tablesync.binlog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The subscribers of one stream and where each stands, for {@link EventDispatch} (used under its lock): who wants
 * a transaction, and who is too slow to keep up. A shared stream detaches a subscriber that has no room for its
 * next item within {@link #PATIENCE_MS}: it leaves, with what it was handed of the open transaction counted, and
 * catches up on a stream of its own ({@link CatchUp}) while the others go on. A private stream waits instead.
 */
final class Subscribers {

    /** How long a shared stream waits for a subscriber's room before detaching it. */
    static final long PATIENCE_MS = 500;

    /** A subscriber that left the stream at {@code from}, having been handed {@code skip} items of the next transaction. */
    record Detached(BinlogSubscriber subscriber, BinlogPosition from, int skip) {
    }

    private final Map<BinlogSubscriber, BinlogPosition> positions = new LinkedHashMap<>();
    /** Items of the open transaction handed to each subscriber so far. */
    private final Map<BinlogSubscriber, Integer> handed = new HashMap<>();
    /** Told of a subscriber too slow to keep up, after it left; null: subscribers are waited for. */
    private final Consumer<Detached> detach;

    Subscribers(Consumer<Detached> detach) {
        this.detach = detach;
    }

    void put(BinlogSubscriber subscriber, BinlogPosition at) {
        positions.put(subscriber, at);
    }

    /** @return where it stood, or null when it was not subscribed */
    BinlogPosition remove(BinlogSubscriber subscriber) {
        return positions.remove(subscriber);
    }

    boolean contains(BinlogSubscriber subscriber) {
        return positions.containsKey(subscriber);
    }

    BinlogPosition position(BinlogSubscriber subscriber) {
        return positions.get(subscriber);
    }

    boolean isEmpty() {
        return positions.isEmpty();
    }

    Optional<BinlogPosition> oldest() {
        return positions.values().stream().reduce(BinlogPosition::oldest);
    }

    /** A copy, in the order they joined. */
    Map<BinlogSubscriber, BinlogPosition> all() {
        return new LinkedHashMap<>(positions);
    }

    /** Those whose positions lack the transaction starting now; counting what each is handed of it starts again. */
    List<BinlogSubscriber> wanting(Optional<String> gtid, String file, long start) {
        handed.clear();
        List<BinlogSubscriber> wanting = new ArrayList<>();
        positions.forEach((s, p) -> {
            if (!p.includesTransaction(gtid, file, start)) {
                wanting.add(s);
            }
        });
        return wanting;
    }

    void handed(BinlogSubscriber subscriber) {
        handed.merge(subscriber, 1, Integer::sum);
    }

    void forgetHanded() {
        handed.clear();
    }

    /** Whether {@code s} is still subscribed and takes one more item; one too slow for it is detached here. */
    boolean keepsUp(BinlogSubscriber s) {
        if (!positions.containsKey(s)) {
            return false;
        }
        if (detach == null || s.awaitRoom(PATIENCE_MS)) {
            return true;
        }
        BinlogPosition from = positions.remove(s);
        detach.accept(new Detached(s, from, handed.getOrDefault(s, 0)));
        return false;
    }
}
