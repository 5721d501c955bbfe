package org.bfabench.harness.nightly;

import java.util.Comparator;

/** The identity of a leaderboard row: one (dataset, model, defense, attack). */
public record RowKey(String dataset, String model, String defense, String attack) implements Comparable<RowKey> {
    private static final Comparator<RowKey> ORDER = Comparator.comparing(RowKey::dataset).thenComparing(RowKey::model)
            .thenComparing(RowKey::defense).thenComparing(RowKey::attack);

    @Override
    public int compareTo(RowKey o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return dataset + "/" + model + "/" + defense + "/" + attack;
    }
}
