using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Crlm.Core.Cohort;
using Crlm.Core.Evaluation;
using Crlm.Core.IO;
using Crlm.Core.Randomness;
using Crlm.Core.Search;
using Crlm.Pipelines.Benchmark;
using Crlm.Pipelines.Running;
using Crlm.Pipelines.Specs;

namespace Crlm.Pipelines.Stages;

/// <summary>
/// The FM benchmark (PRODUCT.md, "The flow" item 5). Per encoder: a seeded TPE (or random) search over the
/// SMOTE -> PCA -> logistic-regression space scored by mean k-fold CV AUC on the training patients, the best
/// configuration refitted on every training row, held-out scans predicted and averaged per patient, and AUC,
/// balanced accuracy, sensitivity, specificity, precision and F1 at the Youden threshold of the training
/// out-of-fold predictions, each with a percentile bootstrap 95% CI over patients; subgroups per site, dataset
/// and phase. Test patients never reach the search, the threshold or the fit. Trials are stored under the cache
/// by content, so an interrupted or repeated search resumes instead of starting over.
/// </summary>
public sealed class BenchmarkStage(IBenchmarkLearner? learner) : IPipelineStage
{
    public string Name => "benchmark";

    public string Description => "search, refit and evaluate the SMOTE -> PCA -> logistic-regression model on each encoder (Table 3)";

    public IReadOnlyList<string> Needs { get; } = ["split", "embed"];

    public StageOutcome Run(StageContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var embeddings = context.State.Embeddings
            ?? throw new StageFailedException("this stage needs the embeddings, made by the 'embed' stage: list 'embed' before it in 'stages'");
        if (learner is null)
        {
            throw new StageFailedException("this runner was built without the benchmark model (no learner); run the benchmark stage through `crlm run`");
        }

        var results = new List<EncoderBenchmark>();
        bool anyRun = false;
        foreach (var (name, scans) in embeddings)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            var result = RunEncoder(context, name, scans);
            anyRun |= result.TrialsRun > 0;
            results.Add(result);
        }

        var winner = results.OrderByDescending(r => r.CvAuc.Mean).ThenBy(r => r.Name, StringComparer.Ordinal).First();
        var report = new BenchmarkReport(results, winner.Name, "highest mean CV AUC; ties to the first name in ordinal order");
        AtomicFile.WriteAllText(context.OutputPath("benchmark.json"), JsonSerializer.Serialize(report, RunJson.Options));
        AtomicFile.WriteAllText(context.OutputPath(Path.Combine("benchmark", "table3.md")), Table3.Markdown(report));
        AtomicFile.WriteAllText(context.OutputPath(Path.Combine("benchmark", "table3.csv")), Table3.Csv(report));
        context.Observer.Info(Name, "Table 3 (held-out patients):" + Environment.NewLine + Table3.Markdown(report).TrimEnd());
        context.Observer.Info(Name, $"winner: {winner.Name}");
        return anyRun ? StageOutcome.Completed : StageOutcome.Cached;
    }

    private EncoderBenchmark RunEncoder(StageContext context, string encoder, IReadOnlyList<ScanEmbedding> scans)
    {
        var spec = context.Spec.Benchmark;
        long seed = context.Spec.Seed;
        var data = BenchmarkData.Build(scans, spec, seed);
        var crossValidate = CrossValidation(data, spec, seed);

        int smallestTrainingFold = Enumerable.Range(0, data.FoldCount).Min(f => data.FoldOfTrainRow.Count(x => x != f));
        int cap = Math.Min(Math.Min(data.Train.Dimension, smallestTrainingFold), spec.PcaMax ?? int.MaxValue);
        SearchSpace space;
        try
        {
            space = BenchmarkSpace.Build(cap, spec.Space);
        }
        catch (SearchSpaceException e)
        {
            throw new StageFailedException($"encoder '{encoder}': {e.Message}", e);
        }

        ISampler sampler = spec.Sampler == BenchmarkSampler.Random ? new RandomSampler() : new TpeSampler();
        var settings = new SearchSettings
        {
            Space = space,
            Sampler = sampler,
            Seed = seed,
            MaxTrials = spec.Trials,
            TimeBudget = spec.TimeBudgetSeconds is { } s ? TimeSpan.FromSeconds(s) : null,
            BatchSize = spec.Batch,
            MaxDegreeOfParallelism = Math.Min(spec.Batch, Environment.ProcessorCount),
            ContinueOnObjectiveError = true,
        };

        // The store's own header guards space, seed, sampler and batch; the folder adds the data and the model, so a
        // different embedding or learner never meets an old history.
        string key = ContentHash.OfText(data.ContentKey(learner!.Identity, spec) + "\n" + space.CanonicalText + "\n" + sampler.Description
            + "\n" + seed.ToString(CultureInfo.InvariantCulture) + "\n" + spec.Batch.ToString(CultureInfo.InvariantCulture))[..32];
        string storePath = Path.Combine(context.CacheDirectory, "benchmark", key, "trials.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(storePath)!);
        int alreadyStored = File.Exists(storePath) ? Math.Max(0, File.ReadLines(storePath).Count(l => l.Length > 0) - 1) : 0;
        int toRun = Math.Max(0, spec.Trials - alreadyStored);
        string progress = $"{Name}: {encoder}";
        int ran = 0;
        context.Observer.Progress(progress, 0, toRun);
        var watch = Stopwatch.StartNew();
        var search = new HyperparameterSearch(settings, new JsonLinesTrialStore(storePath), TimeProvider.System);
        var result = search.Run(
            trial =>
            {
                var cv = crossValidate(trial.Parameters);
                context.Observer.Progress(progress, Interlocked.Increment(ref ran), toRun);
                return new TrialOutcome(cv.MeanAuc, cv.FoldAucs.Select(a => a ?? double.NaN).ToArray());
            },
            context.Cancellation);
        double searchSeconds = watch.Elapsed.TotalSeconds;
        var best = result.Best ?? throw new StageFailedException(
            $"encoder '{encoder}': no trial of the search completed ({result.Trials.Count} failed; first error: {(result.Trials.Count > 0 ? result.Trials[0].Error : null)})");
        context.Cancellation.ThrowIfCancellationRequested();

        // The best configuration's CV again (same folds, same seeds, so the same numbers) for its OOF predictions.
        var bestCv = crossValidate(best.Parameters);
        var oofPatients = PatientAggregation.ByPatient(data.TrainScans.Select((s, n) => Scan(s, bestCv.OutOfFold[n], "train")));
        var oofPositive = oofPatients.Select(p => p.Positive).ToArray();
        var oofProbability = oofPatients.Select(p => p.Probability).ToArray();
        var cvThreshold = YoudenThreshold.Find(oofPositive, oofProbability)
            ?? throw new StageFailedException($"encoder '{encoder}': the training patients hold one class only, so no Youden threshold");

        var (fitRows, testRows) = (data.Train, data.Test);
        if (spec.Combat)
        {
            var harmonised = SiteHarmoniser.Harmonise(data.Train, data.Test, data.EmbeddingDimension, spec.CombatUnseenSites, $"encoder '{encoder}', final model");
            (fitRows, testRows) = (harmonised.Fitted, harmonised.Applied);
            foreach (string warning in harmonised.Warnings.Distinct(StringComparer.Ordinal))
            {
                context.Observer.Warning(Name, $"{encoder}: {warning}");
            }
        }

        var model = learner.Fit(fitRows, best.Parameters, seed);
        var testProbability = model.Predict(testRows.Features);
        var testScans = data.TestScans.Select((s, n) => Scan(s, testProbability[n], BenchmarkData.Dataset(s.Assignment))).ToArray();
        var patients = PatientAggregation.ByPatient(testScans);
        var positive = patients.Select(p => p.Positive).ToArray();
        var probability = patients.Select(p => p.Probability).ToArray();
        var testYouden = YoudenThreshold.Find(positive, probability);
        double threshold = spec.Threshold == BenchmarkThreshold.YoudenTest
            ? testYouden?.Threshold ?? throw new StageFailedException($"encoder '{encoder}': the test patients hold one class only, so no test Youden threshold")
            : cvThreshold.Threshold;

        var point = OperatingPoint.At(positive, probability, threshold);
        var boot = PatientBootstrap.Run(positive, probability, threshold, new BootstrapOptions(Resamples: spec.Bootstrap, Seed: seed));
        var test = new TestEvaluation(
            MetricCi.From(RocAuc.Compute(positive, probability), boot.Auc),
            MetricCi.From(point.BalancedAccuracy, boot.BalancedAccuracy),
            MetricCi.From(point.Sensitivity, boot.Sensitivity),
            MetricCi.From(point.Specificity, boot.Specificity),
            MetricCi.From(point.Precision, boot.Precision),
            MetricCi.From(point.F1, boot.F1),
            threshold,
            spec.Threshold == BenchmarkThreshold.YoudenTest ? "youden_test" : "youden_cv",
            patients.Count,
            positive.Count(p => p),
            boot.Method);
        var subgroups = new SubgroupTables(
            SubgroupEntry.From(SubgroupTable.BySite(patients, threshold)),
            SubgroupEntry.From(SubgroupTable.ByDataset(patients, threshold)),
            SubgroupEntry.From(SubgroupTable.ByPhase(testScans, threshold)));
        var atTestYouden = OperatingPointSummary.From(OperatingPoint.At(positive, probability, testYouden?.Threshold ?? double.PositiveInfinity));

        string folder = context.OutputPath(Path.Combine("benchmark", encoder));
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(Path.Combine(folder, "trials.jsonl"), File.ReadAllText(storePath));
        SaveModel(model, Path.Combine(folder, "model.zip"));
        AtomicFile.WriteAllText(Path.Combine(folder, "test_predictions.csv"), PredictionsCsv(patients));

        var folds = bestCv.FoldAucs.Where(a => a.HasValue).Select(a => a!.Value).ToArray();
        double mean = folds.Average();
        double sd = Math.Sqrt(folds.Select(a => (a - mean) * (a - mean)).Average());
        var cvAuc = new CvAuc(mean, sd, RocAuc.Compute(oofPositive, oofProbability), bestCv.FoldAucs);
        context.Observer.Info(Name, string.Create(CultureInfo.InvariantCulture,
            $"{encoder}: {result.Trials.Count} trials ({ran} run now) in {searchSeconds:0.0} s, CV AUC {mean:0.000} ± {sd:0.000}, " +
            $"test AUC {test.Auc.Cell()}, best {best.Parameters}"));
        return new EncoderBenchmark(
            encoder, cvAuc, learner.Describe(best.Parameters), test, atTestYouden, subgroups,
            result.Trials.Count, ran, Math.Round(searchSeconds, 3), result.StopReason.ToString());
    }

    /// <summary>
    /// The search's objective. Without ComBat, the learner's own k-fold CV. With ComBat, the site model is fitted
    /// inside each fold's training rows and applied to its validation rows (once, before the search: it does not
    /// depend on the trial), then each fold's model is fitted and scored here.
    /// </summary>
    private Func<ParameterAssignment, BenchmarkCrossValidation> CrossValidation(BenchmarkData data, BenchmarkSpec spec, long seed)
    {
        if (!spec.Combat)
        {
            return parameters => learner!.CrossValidate(data.Train, data.FoldOfTrainRow, parameters, seed);
        }

        var folds = Enumerable.Range(0, data.FoldCount).Select(f =>
        {
            int[] train = Enumerable.Range(0, data.Train.Count).Where(i => data.FoldOfTrainRow[i] != f).ToArray();
            int[] valid = Enumerable.Range(0, data.Train.Count).Where(i => data.FoldOfTrainRow[i] == f).ToArray();
            var (fitted, applied, _) = SiteHarmoniser.Harmonise(
                data.Train.Subset(train), data.Train.Subset(valid), data.EmbeddingDimension, spec.CombatUnseenSites, $"CV fold {f}");
            return (Fitted: fitted, Applied: applied, Valid: valid);
        }).ToArray();
        return parameters =>
        {
            var oof = new double[data.Train.Count];
            var aucs = new double?[folds.Length];
            for (int f = 0; f < folds.Length; f++)
            {
                long foldSeed = unchecked((long)SplitMix64.Derive(seed, "cv-fold", f.ToString(CultureInfo.InvariantCulture)).NextUInt64());
                var probability = learner!.Fit(folds[f].Fitted, parameters, foldSeed).Predict(folds[f].Applied.Features);
                for (int v = 0; v < probability.Length; v++)
                {
                    oof[folds[f].Valid[v]] = probability[v];
                }

                aucs[f] = RocAuc.Compute(folds[f].Applied.Labels.ToArray(), probability);
            }

            var defined = aucs.Where(a => a.HasValue).Select(a => a!.Value).ToArray();
            return new BenchmarkCrossValidation(aucs, defined.Length > 0 ? defined.Average() : double.NaN, oof);
        };
    }

    private static ScanPrediction Scan(ScanEmbedding s, double probability, string dataset) =>
        new(s.Scan.PatientId, s.Scan.ScanId, s.Scan.Site, dataset, s.Scan.Phase.Name(), s.Scan.Label == CohortLabel.Crlm, probability);

    private static void SaveModel(IBenchmarkModel model, string path)
    {
        // Written beside the target and renamed, as AtomicFile does, because the model writes its own file.
        string temporary = path + ".tmp-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        model.Save(temporary);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The peers/metrics.py input format, one row per held-out patient.</summary>
    private static string PredictionsCsv(IReadOnlyList<PatientPrediction> patients)
    {
        var text = new StringBuilder("patient_id,site,dataset,y_true,y_prob\n");
        foreach (var p in patients)
        {
            text.Append(CsvTable.Escape(p.PatientId)).Append(',').Append(CsvTable.Escape(p.Site)).Append(',')
                .Append(p.Dataset).Append(',').Append(p.Positive ? '1' : '0').Append(',')
                .Append(p.Probability.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }

        return text.ToString();
    }
}
