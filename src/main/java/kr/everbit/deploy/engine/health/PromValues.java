package kr.everbit.deploy.engine.health;

import java.math.BigDecimal;
import java.math.MathContext;

/** Prints metric values compactly: six significant digits (0.001 rather than 9.999999999999998E-4), 3, +Inf. */
final class PromValues {
    private PromValues() {
    }

    /** As {@link #format(double)}, but never rounded onto the limit it exceeds ("0.05 (max 0.05)" would puzzle). */
    static String format(double v, double max) {
        String shown = format(v);
        return v > max && !Double.isInfinite(v) && Double.parseDouble(shown) <= max ? String.valueOf(v) : shown;
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
        return new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }
}
