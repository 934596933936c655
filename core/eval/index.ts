/**
 * Evaluation of trained runs: frozen-feature extraction, the linear probe (the BCL authors'
 * protocol), the kNN probe, long-tail metrics (per-class, Many / Medium / Few, their std),
 * `eval.json`, and the HTML / PNG report. See docs/evaluation.md.
 */
import 'reflect-metadata';
export { extractFeatures, normalisation, selectRows, type Encode, type FeatureOptions, type FeatureSet } from './features';
export { linearScores, trainLinearProbe, type LinearProbe, type LinearProbeOptions } from './linear-probe';
export { knnScores, type KnnOptions } from './knn';
export { accuracySpread, meanOf, populationStd, probeAccuracy, rankOfLabel, sampleStd, type AccuracySpread, type ProbeAccuracy } from './long-tail-metrics';
export { balancedTrainSource, groupRuleFor, groupsFor, isBalanced, kShotSet, type GroupRuleName, type Shots } from './probe-sets';
export { runProbes, type ProbeChoice, type ProbeInputs, type ProbeOptions, type ProbeResults } from './run-probes';
export { evaluateRun, type EvaluateRunOptions } from './evaluate-run';
export { EVAL_FORMAT, evalReportFile, readEvalReport, writeEvalReport, type EvalReport, type KnnEntry, type LinearEntry } from './eval-report';
export { formatEvalTable } from './format-table';
export { renderChart, writeChart, type ChartImage, type RenderOptions, type VegaLiteSpec } from './charts/render-chart';
export * from './charts/chart-specs';
export { decodePng, type DecodedPng } from './charts/decode-png';
export { writeReport, type WrittenReport } from './report/write-report';
