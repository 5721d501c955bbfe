package org.bfabench.harness.store;

/**
 * Everything that determined a cell's numbers (its content hash is the cell key) plus the grid facts
 * a leaderboard needs, so that a board can be rebuilt from the store alone.
 *
 * @param grid             grid name
 * @param gridSha256       SHA-256 of the grid file
 * @param referenceDefense the grid's reference defense id (for resistance ratios)
 * @param dataset          dataset provider
 * @param datasetSha256    content hash of the dataset files read
 * @param model            architecture
 * @param defense          defense
 * @param attack           attack
 * @param trainSeed        training seed
 * @param attackSeed       attack seed
 * @param epochs           training epochs
 * @param batchSize        training batch size
 * @param trainLimit       training images used (0 = all)
 * @param testLimit        test images used (0 = all)
 * @param flipBudget       flip budget of the attack
 * @param evalSize         images the attack measured accuracy on (0 = the whole test subset)
 * @param stopAccuracy     stop threshold (0..1)
 */
public record CellConfig(String grid, String gridSha256, String referenceDefense, ComponentVersion dataset,
        String datasetSha256, ComponentVersion model, ComponentVersion defense, ComponentVersion attack,
        long trainSeed, long attackSeed, int epochs, int batchSize, int trainLimit, int testLimit, int flipBudget,
        int evalSize, double stopAccuracy) {

    /** {@code 3} or {@code 3/17} (training/attack seed). */
    public String seedLabel() {
        return trainSeed == attackSeed ? Long.toString(trainSeed) : trainSeed + "/" + attackSeed;
    }
}
