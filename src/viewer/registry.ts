/**
 * The viewer's one door to the model registry (which the package work moves from src/models.ts and
 * src/checker/run-model.ts to src/registry/): re-point these imports and nothing else changes.
 */
export { loadModel, MODEL_NAMES } from "../models.ts"
export { prepare } from "../checker/run-model.ts"
