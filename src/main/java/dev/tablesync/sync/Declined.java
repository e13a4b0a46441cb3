package dev.tablesync.sync;

/**
 * A sink did not take a batch exactly: a load with a warning or a skipped row, or a target that
 * refused the load as a whole (no {@code local_infile}, no {@code CREATE TEMPORARY TABLES}). The one
 * way a {@link Sink} says so; only {@link Landing} catches it. A lost connection is not declined:
 * the run fails and retries like any other.
 */
final class Declined extends RuntimeException {

    Declined(String reason) {
        super(reason, null, false, false);
    }
}
