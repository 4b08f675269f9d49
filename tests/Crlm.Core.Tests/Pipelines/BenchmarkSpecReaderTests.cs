using Crlm.Core.Harmonisation;
using Crlm.Core.Search;
using Crlm.Core.Tests.TestSupport;
using Crlm.Pipelines.Running;
using Crlm.Pipelines.Specs;

namespace Crlm.Core.Tests.Pipelines;

/// <summary>The spec's 'benchmark:' block: defaults, values, and every mistake named at its line and column.</summary>
public sealed class BenchmarkSpecReaderTests
{
    private static PipelineSpec Read(TempFolder folder, string yaml) => SpecReading.Read(folder, yaml);

    private static string[] Errors(TempFolder folder, string yaml) => SpecReading.Errors(folder, yaml);

    [Fact]
    public void Without_a_benchmark_block_the_study_defaults_apply_and_the_stage_is_known()
    {
        using var folder = new TempFolder();
        var spec = Read(folder, "stages: [cohort, split, preprocess, embed, benchmark]\n");
        var b = spec.Benchmark;
        Assert.Equal((BenchmarkSampler.Tpe, 50, (double?)null, (int?)null, 1000, BenchmarkThreshold.YoudenCv, false), (b.Sampler, b.Trials, b.TimeBudgetSeconds, b.Folds, b.Bootstrap, b.Threshold, b.Combat));
        Assert.Empty(b.Covariates);
        Assert.Empty(b.Space);
        Assert.Contains("benchmark", spec.Stages);
    }

    [Fact]
    public void Every_key_is_read()
    {
        using var folder = new TempFolder();
        var b = Read(folder, """
            benchmark:
              sampler: random
              trials: 12
              time_budget_s: 30.5
              folds: 5
              batch: 2
              pca_max: 8
              combat: true
              combat_unseen_sites: pass_through
              covariates: [sex, age]
              bootstrap: 200
              threshold: youden_test
              space:
                C: {float: [1.0e-3, 10], log: true}
                penalty: {choice: [l2, elasticnet]}
                l1_ratio: {float: [0.2, 0.8], when: {penalty: elasticnet}}
            """).Benchmark;
        Assert.Equal((BenchmarkSampler.Random, 12, (double?)30.5, (int?)5, 2, (int?)8), (b.Sampler, b.Trials, b.TimeBudgetSeconds, b.Folds, b.Batch, b.PcaMax));
        Assert.Equal((true, (UnseenSitePolicy?)UnseenSitePolicy.PassThrough, 200, BenchmarkThreshold.YoudenTest), (b.Combat, b.CombatUnseenSites, b.Bootstrap, b.Threshold));
        Assert.Equal([BenchmarkCovariate.Sex, BenchmarkCovariate.Age], b.Covariates);
        Assert.Equal(new FloatParameter("C", 1e-3, 10, Log: true), b.Space[0]);
        Assert.Equal(["l2", "elasticnet"], ((CategoricalParameter)b.Space[1]).Choices);
        Assert.Equal("penalty", b.Space[2].When!.Parent);
    }

    [Fact]
    public void An_unknown_key_is_reported_at_its_position_with_a_did_you_mean()
    {
        using var folder = new TempFolder();
        var errors = Errors(folder, "benchmark:\n  trails: 5\n");
        Assert.Contains(errors, e => e.EndsWith(":4:3: unknown key 'trails'; did you mean 'trials'? (allowed here: sampler, trials, time_budget_s, folds, batch, pca_max, space, combat, combat_unseen_sites, covariates, bootstrap, threshold)", StringComparison.Ordinal));
    }

    [Fact]
    public void Bad_values_are_all_reported_at_once_each_at_its_line_and_column()
    {
        using var folder = new TempFolder();
        var errors = Errors(folder, """
            benchmark:
              sampler: tpf
              trials: 0
              covariates: [age, bmi]
              combat: maybe
              combat_unseen_sites: ignore
              bootstrap: lots
              threshold: youden
            """);
        Assert.Contains(errors, e => e.Contains(":4:12: 'sampler' must be one of tpe, random, got 'tpf'; did you mean 'tpe'?", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains(":5:11: 'trials' must be between 1 and 100000, got 0", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains(":6:21: unknown covariate 'bmi' (covariates: age, sex)", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains(":7:11: 'combat' must be true or false, got 'maybe'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains(":8:24: 'combat_unseen_sites' must be one of error, pass_through, got 'ignore'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains(":9:14: 'bootstrap' must be an integer, got 'lots'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains(":10:14: 'threshold' must be one of youden_cv, youden_test, got 'youden'", StringComparison.Ordinal));
    }

    [Fact]
    public void Combat_keys_must_have_their_types_and_the_unseen_policy_needs_combat()
    {
        using var folder = new TempFolder();
        var errors = Errors(folder, "benchmark:\n  combat: [site]\n  combat_unseen_sites: error\n");
        Assert.Contains(errors, e => e.Contains(":4:11: 'combat' must be a single value", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains(":5:24: 'combat_unseen_sites' applies only with 'combat: true'", StringComparison.Ordinal));
    }

    [Fact]
    public void Space_entries_are_checked_by_name_kind_range_and_condition()
    {
        using var folder = new TempFolder();
        var errors = Errors(folder, """
            benchmark:
              space:
                pca_component: {int: [1, 5]}
                C: {int: [1, 5]}
                penalty: {choice: [l1, l3]}
                max_iter: {int: [500, 100]}
            """);
        Assert.Contains(errors, e => e.Contains(":5:5: unknown parameter 'pca_component'; did you mean 'pca_components'?", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains(":6:8: parameter 'C' needs exactly one 'float' range", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains(":7:23: 'penalty' choices must be a non-empty list drawn from [l1, l2, elasticnet], got 'l3'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains(":8:21: 'max_iter' range must have low < high, got [500, 100]", StringComparison.Ordinal));

        var conditional = Errors(folder, "benchmark:\n  space:\n    l1_ratio: {float: [0, 1], when: {solver: saga}}\n");
        Assert.Contains(conditional, e => e.Contains(":5:5: 'space': Parameter 'l1_ratio' depends on unknown parameter 'solver'", StringComparison.Ordinal));
    }
}
