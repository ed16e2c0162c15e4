package dev.ember.nn;

import java.util.List;

/** {@code _IncompatibleKeys}: what a non-strict {@code load_state_dict} did not match. */
public record IncompatibleKeys(List<String> missingKeys, List<String> unexpectedKeys) {
    public IncompatibleKeys {
        missingKeys = List.copyOf(missingKeys);
        unexpectedKeys = List.copyOf(unexpectedKeys);
    }

    public boolean allMatched() { return missingKeys.isEmpty() && unexpectedKeys.isEmpty(); }

    @Override
    public String toString() {
        if (allMatched()) return "<All keys matched successfully>";
        return "_IncompatibleKeys(missing_keys=" + pyList(missingKeys) + ", unexpected_keys=" + pyList(unexpectedKeys) + ")";
    }

    private static String pyList(List<String> keys) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < keys.size(); i++) sb.append(i == 0 ? "" : ", ").append('\'').append(keys.get(i)).append('\'');
        return sb.append(']').toString();
    }
}
