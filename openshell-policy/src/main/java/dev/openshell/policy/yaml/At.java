package dev.openshell.policy.yaml;

/**
 * A position in the tree under two spellings: the model path rules are written against and the
 * YAML path the user wrote. They differ where list items were dropped or {@code port} stands for
 * {@code ports[0]}.
 */
record At(String model, String yaml) {

    static final At ROOT = new At("", "");

    At key(String key) {
        return key(key, key);
    }

    At key(String modelKey, String yamlKey) {
        return new At(join(model, modelKey), join(yaml, yamlKey));
    }

    At item(int modelIndex, int yamlIndex) {
        return new At(model + "[" + modelIndex + "]", yaml + "[" + yamlIndex + "]");
    }

    private static String join(String base, String key) {
        return base.isEmpty() ? key : base + "." + key;
    }
}
