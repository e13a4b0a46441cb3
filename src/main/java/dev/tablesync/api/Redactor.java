package dev.tablesync.api;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.tablesync.config.Settings;

/**
 * Last line of defence for free text the API passes on from the engine and the JDBC driver (error
 * messages): hides JDBC URLs and configured passwords, should a driver or server message ever quote
 * one. Structured fields never hold them in the first place.
 */
@ApplicationScoped
public class Redactor implements UnaryOperator<String> {

    static final String HIDDEN = "<hidden>";

    /** A URL runs up to whitespace or a quote; it may carry user:password@ or ?password=. */
    private static final Pattern JDBC_URL = Pattern.compile("jdbc:[^\\s'\"]+");

    /** Shorter passwords are not hidden: replacing every occurrence of a 1-3 character string mangles the text. */
    private static final int MIN_SECRET_LENGTH = 4;

    private final List<String> secrets;

    @Inject
    public Redactor(Settings config) {
        this(config.connections().values().stream().map(Settings.Connection::password)
                .flatMap(Optional::stream).toList());
    }

    Redactor(List<String> passwords) {
        // Longest first, so a password containing another one is hidden whole.
        this.secrets = passwords.stream().filter(p -> p.length() >= MIN_SECRET_LENGTH).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    @Override
    public String apply(String text) {
        if (text == null) {
            return null;
        }
        String clean = JDBC_URL.matcher(text).replaceAll(HIDDEN);
        for (String secret : secrets) {
            clean = clean.replace(secret, HIDDEN);
        }
        return clean;
    }
}
