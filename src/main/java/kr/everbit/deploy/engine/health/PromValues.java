package kr.everbit.deploy.engine.health;

import java.math.BigDecimal;

/** Prints metric values compactly and exactly: 0.05, 3, 1.5E-7, +Inf. */
final class PromValues {
    private PromValues() {
    }

    static String format(double v) {
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf((long) v);
        }
        String plain = BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
        return plain.length() <= 12 ? plain : String.valueOf(v);
    }
}
