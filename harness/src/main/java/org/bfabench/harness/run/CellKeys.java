package org.bfabench.harness.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bfabench.harness.store.CellConfig;
import org.bfabench.harness.store.ComponentVersion;
import org.bfabench.spi.SpiVersion;

/**
 * Content addresses. The model key is the SHA-256 of the canonical JSON of everything that determines
 * a trained model (dataset id, version, content hash and options; architecture and defense ids, versions
 * and options; training budget; training seed; SPI major). The cell key hashes the model key with
 * everything that determines the attack run (attack id, version, options, budget, evaluation size,
 * stop threshold, test subset, attack seed). Grid names and file hashes are deliberately left out: two
 * grids that ask for the same model share it.
 */
final class CellKeys {
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

    private CellKeys() {
    }

    static String modelKey(CellConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("spi", SpiVersion.MAJOR);
        m.put("dataset", component(c.dataset()));
        m.put("dataset_sha256", c.datasetSha256());
        m.put("model", component(c.model()));
        m.put("defense", component(c.defense()));
        m.put("epochs", c.epochs());
        m.put("batch_size", c.batchSize());
        m.put("train_limit", c.trainLimit());
        m.put("seed", c.trainSeed());
        return sha256(m);
    }

    /**
     * The model key of an imported model: what determines it is the import (its name and weights hash are
     * in the model entry's options), the defense that stores it and the dataset it is evaluated on — no
     * training budget or seed, so all attack seeds share one loaded model.
     */
    static String importedModelKey(CellConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("spi", SpiVersion.MAJOR);
        m.put("dataset", component(c.dataset()));
        m.put("dataset_sha256", c.datasetSha256());
        m.put("imported_model", component(c.model()));
        m.put("defense", component(c.defense()));
        return sha256(m);
    }

    static String cellKey(String modelKey, CellConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model_key", modelKey);
        m.put("attack", component(c.attack()));
        m.put("flip_budget", c.flipBudget());
        m.put("eval_size", c.evalSize());
        m.put("stop_accuracy", c.stopAccuracy());
        m.put("test_limit", c.testLimit());
        m.put("attack_seed", c.attackSeed());
        return sha256(m);
    }

    private static Map<String, Object> component(ComponentVersion v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", v.id());
        m.put("version", v.version());
        m.put("options", v.options());
        return m;
    }

    private static String sha256(Map<String, Object> canonical) {
        try {
            byte[] json = CANONICAL.writeValueAsString(canonical).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash cell configuration", e);
        }
    }
}
