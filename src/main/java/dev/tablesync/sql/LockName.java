package dev.tablesync.sql;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The name of a server-wide named lock ({@code GET_LOCK}): {@code prefix} then {@code what}.
 * Servers limit names to 64 characters, so a longer {@code what} is replaced by a hash of the
 * whole name, which keeps distinct names distinct.
 */
public record LockName(String value) {

    private static final int MAX_LENGTH = 64;

    public static LockName of(String prefix, String what) {
        String name = prefix + what;
        if (name.length() <= MAX_LENGTH) {
            return new LockName(name);
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return new LockName(prefix + HexFormat.of().formatHex(hash).substring(0, 48));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
