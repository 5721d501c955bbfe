package org.bfabench.harness.grid;

/**
 * The randomness of one cell: {@code trainSeed} seeds the defense's training (and so names the cached
 * model), {@code attackSeed} seeds the attack (its batch and any random choice).
 */
public record SeedPair(long trainSeed, long attackSeed) {

    /** {@code 3} when both seeds are equal, else {@code 3/17}: the form used in leaderboards. */
    public String label() {
        return trainSeed == attackSeed ? Long.toString(trainSeed) : trainSeed + "/" + attackSeed;
    }
}
