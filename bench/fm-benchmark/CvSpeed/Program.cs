using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Crlm.Tabular.Models;
using Microsoft.ML;

// CvSpeed TRAIN.csv TRIALS THREADS [FOLDS] [SEED]
// Times the FM benchmark's cross-validation (BenchmarkCrossValidator.Evaluate: standardise -> SMOTE -> PCA ->
// logistic regression, FOLDS folds) for each of the parity fixtures' five configurations, TRIALS trials each after
// one warm-up trial per configuration, folds run on THREADS threads, on one validator as a search uses it (so the
// timed trials reuse the per-fold cache), plus one cold trial on a fresh validator. Prints one JSON object.
if (args.Length is < 3 or > 5)
{
    Console.Error.WriteLine("usage: CvSpeed TRAIN.csv TRIALS THREADS [FOLDS=10] [SEED=0]");
    return 2;
}

string train = args[0];
int trials = int.Parse(args[1], CultureInfo.InvariantCulture);
int threads = int.Parse(args[2], CultureInfo.InvariantCulture);
int folds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 10;
long seed = args.Length > 4 ? long.Parse(args[4], CultureInfo.InvariantCulture) : 0;

var rows = ReadCsv(train);
var foldOfRow = BenchmarkCrossValidator.AssignFolds(rows, folds, seed);
var cv = new BenchmarkCrossValidator(new MLContext(0), rows, new CrossValidationOptions { MaxDegreeOfParallelism = threads });

// The five configurations of tests/Crlm.Tabular.Tests/Fixtures/models/peer_runs.json (peer parameter names).
var configs = new (string Name, BenchmarkModelConfig Config)[]
{
    ("l2_lbfgs", BenchmarkModelConfig.FromPeer(5, 0.3, "l2", "lbfgs", null, "none", 500)),
    ("l2_lbfgs_balanced", BenchmarkModelConfig.FromPeer(5, 0.3, "l2", "lbfgs", null, "balanced", 500)),
    ("l1_saga", BenchmarkModelConfig.FromPeer(8, 0.5, "l1", "saga", null, "none", 1000)),
    ("elasticnet_saga_balanced", BenchmarkModelConfig.FromPeer(5, 0.3, "elasticnet", "saga", 0.4, "balanced", 500)),
    ("l2_lbfgs_pca19", BenchmarkModelConfig.FromPeer(19, 0.6107035569915314, "l2", "lbfgs", null, "balanced", 1888)),
};

var results = new List<object>();
var all = new List<double>();
foreach (var (name, config) in configs)
{
    var result = cv.Evaluate(foldOfRow, config, seed); // warm-up: JIT and first-use costs
    var times = new double[trials];
    for (int t = 0; t < trials; t++)
    {
        var watch = Stopwatch.StartNew();
        result = cv.Evaluate(foldOfRow, config, seed);
        times[t] = watch.Elapsed.TotalSeconds;
    }

    all.AddRange(times);
    results.Add(new { config = name, per_trial_s = Summary(times), cv_auc_mean = result.MeanAuc });
}

// A search's first trial on new folds also builds each fold's cache (scaler, SMOTE rows, PCA basis): timed on a
// fresh validator, after the JIT warm-up above, so it is the one-off cost a search pays once per fold assignment.
var fresh = new BenchmarkCrossValidator(new MLContext(0), rows, new CrossValidationOptions { MaxDegreeOfParallelism = threads });
var coldWatch = Stopwatch.StartNew();
fresh.Evaluate(foldOfRow, configs[0].Config, seed);
double coldTrial = coldWatch.Elapsed.TotalSeconds;

Console.WriteLine(JsonSerializer.Serialize(new
{
    side = "csharp",
    train = Path.GetFileName(train),
    rows = rows.Count,
    features = rows[0].Features.Length,
    folds,
    threads,
    trials_per_config = trials,
    per_trial_s = Summary([.. all]),
    cold_trial_s = coldTrial,
    configs = results,
}));
return 0;

static object Summary(double[] times)
{
    var sorted = times.Order().ToArray();
    return new { mean = times.Average(), median = sorted[sorted.Length / 2], min = sorted[0], max = sorted[^1] };
}

// patient_id, label, [site], f0..fN (the peer's CSV format).
static List<ModelRow> ReadCsv(string path) => PeerEmbeddingTable.Read(path);
