package dev.tablesync.binlog;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * A DOUBLE as the servers print it: the shortest digits that read back as the same double, in positional notation
 * from 1e-15 up to below 1e15 and as {@code 1.5e-16} / {@code 1e15} outside (both servers' {@code my_gcvt}). Java's
 * own {@code Double.toString} differs in notation and, before Java 19, is not always shortest.
 */
final class DoubleText {

    private static final int MAX_DIGITS = 17;
    private static final int MAX_POSITIONAL_EXPONENT = 15;
    private static final int MIN_POSITIONAL_EXPONENT = -15;

    private DoubleText() {
    }

    static String of(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("a server never stores " + v);
        }
        if (v == 0) {
            return 1 / v < 0 ? "-0" : "0";
        }
        BigDecimal shortest = shortest(v);
        String digits = shortest.unscaledValue().abs().toString().replaceAll("0+$", "");
        int exponent = shortest.precision() - shortest.scale() - 1; // of the first digit
        String sign = v < 0 ? "-" : "";
        if (exponent < MIN_POSITIONAL_EXPONENT || exponent >= MAX_POSITIONAL_EXPONENT) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mantissa + "e" + exponent;
        }
        return sign + new BigDecimal(new java.math.BigInteger(digits), digits.length() - 1 - exponent).toPlainString();
    }

    private static BigDecimal shortest(double v) {
        BigDecimal exact = new BigDecimal(v);
        for (int p = 1; p < MAX_DIGITS; p++) {
            BigDecimal candidate = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (candidate.doubleValue() == v) {
                return candidate;
            }
        }
        return exact.round(new MathContext(MAX_DIGITS, RoundingMode.HALF_EVEN));
    }
}
