package org.bfabench.harness.store;

import java.util.Map;
import java.util.TreeMap;

/**
 * A component as it took part in a cell: id, version and the options from the grid (sorted by key,
 * which makes its JSON a stable input to content hashes).
 */
public record ComponentVersion(String id, String version, Map<String, Object> options) {
    public ComponentVersion {
        options = options == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(options));
    }

    /** {@code id@version}, as in the leaderboard's plugins column. */
    public String label() {
        return id + "@" + version;
    }
}
