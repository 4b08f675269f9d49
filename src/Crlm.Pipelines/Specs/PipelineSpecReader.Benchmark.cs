using Crlm.Core.Harmonisation;
using Crlm.Core.Search;
using Crlm.Pipelines.Benchmark;
using YamlDotNet.RepresentationModel;

namespace Crlm.Pipelines.Specs;

/// <summary>The spec's <c>benchmark:</c> block (docs/pipelines.md).</summary>
public sealed partial class PipelineSpecReader
{
    private static readonly string[] BenchmarkKeys =
    [
        "sampler", "trials", "time_budget_s", "folds", "batch", "pca_max", "space", "combat", "combat_unseen_sites", "covariates", "bootstrap", "threshold",
    ];

    private static readonly string[] SpaceEntryKeys = ["int", "float", "choice", "log", "when"];

    private BenchmarkSpec ReadBenchmark(YamlMappingNode root)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode("benchmark"), out var node) || AsMap(node, "'benchmark'") is not { } map)
        {
            return new BenchmarkSpec();
        }

        RejectUnknownKeys(map, BenchmarkKeys);
        var d = new BenchmarkSpec();
        var sampler = Choice(map, "sampler", ["tpe", "random"]);
        var threshold = Choice(map, "threshold", ["youden_cv", "youden_test"]);
        var unseen = Choice(map, "combat_unseen_sites", ["error", "pass_through"]);
        bool combat = Bool(map, "combat") ?? d.Combat;
        if (unseen is not null && !combat)
        {
            Issue(Scalar(map, "combat_unseen_sites")!, "'combat_unseen_sites' applies only with 'combat: true'");
        }

        double? budget = Double(map, "time_budget_s");
        if (budget is <= 0)
        {
            Issue(Scalar(map, "time_budget_s")!, Invariant($"'time_budget_s' must be a positive number of seconds, got {budget}"));
            budget = null;
        }

        return new BenchmarkSpec
        {
            Sampler = sampler == "random" ? BenchmarkSampler.Random : BenchmarkSampler.Tpe,
            Trials = Int(map, "trials", min: 1, max: 100_000) ?? d.Trials,
            TimeBudgetSeconds = budget,
            Folds = Int(map, "folds", min: 2, max: 100),
            Batch = Int(map, "batch", min: 1, max: 1024) ?? d.Batch,
            PcaMax = Int(map, "pca_max", min: 2, max: 1_000_000),
            Space = ReadSpace(map),
            Combat = combat,
            CombatUnseenSites = unseen switch
            {
                "error" => UnseenSitePolicy.Error,
                "pass_through" => UnseenSitePolicy.PassThrough,
                _ => null,
            },
            Covariates = ReadCovariates(map),
            Bootstrap = Int(map, "bootstrap", min: 10, max: 1_000_000) ?? d.Bootstrap,
            Threshold = threshold == "youden_test" ? BenchmarkThreshold.YoudenTest : BenchmarkThreshold.YoudenCv,
        };
    }

    private List<BenchmarkCovariate> ReadCovariates(YamlMappingNode map)
    {
        var covariates = new List<BenchmarkCovariate>();
        if (!map.Children.TryGetValue(new YamlScalarNode("covariates"), out var node))
        {
            return covariates;
        }

        if (node is not YamlSequenceNode list)
        {
            Issue(node, "'covariates' must be a list drawn from [age, sex]");
            return covariates;
        }

        string[] known = ["age", "sex"];
        foreach (var item in list.Children)
        {
            string name = (item as YamlScalarNode)?.Value ?? "";
            if (!known.Contains(name))
            {
                Issue(item, $"unknown covariate '{name}'{Suggest(name, known)} (covariates: age, sex)");
                continue;
            }

            var covariate = name == "age" ? BenchmarkCovariate.Age : BenchmarkCovariate.Sex;
            if (covariates.Contains(covariate))
            {
                Issue(item, $"covariate '{name}' is listed twice");
                continue;
            }

            covariates.Add(covariate);
        }

        return covariates;
    }

    /// <summary>
    /// <c>space:</c> entries, each <c>NAME: {int|float: [low, high], log: bool, when: {parent: value(s)}}</c> or
    /// <c>NAME: {choice: [...]}</c> (docs/search.md). The merged space is validated as a whole against a
    /// placeholder pca cap, so conditions on unknown parents and empty ranges are caught before the run.
    /// </summary>
    private List<ParameterDefinition> ReadSpace(YamlMappingNode map)
    {
        var parameters = new List<ParameterDefinition>();
        if (!map.Children.TryGetValue(new YamlScalarNode("space"), out var node) || AsMap(node, "'space'") is not { } space)
        {
            return parameters;
        }

        bool clean = true;
        foreach (var (keyNode, valueNode) in space.Children)
        {
            string name = (keyNode as YamlScalarNode)?.Value ?? "";
            if (!BenchmarkSpace.ParameterNames.Contains(name))
            {
                Issue(keyNode, $"unknown parameter '{name}'{Suggest(name, BenchmarkSpace.ParameterNames)} (parameters: {string.Join(", ", BenchmarkSpace.ParameterNames)})");
                clean = false;
                continue;
            }

            if (AsMap(valueNode, $"parameter '{name}'") is not { } entry || ReadSpaceEntry(name, entry) is not { } parameter)
            {
                clean = false;
                continue;
            }

            parameters.Add(parameter);
        }

        if (clean)
        {
            try
            {
                BenchmarkSpace.Build(pcaCap: 1_000_000, parameters);
            }
            catch (SearchSpaceException e)
            {
                Issue(node, $"'space': {e.Message}");
            }
        }

        return parameters;
    }

    private ParameterDefinition? ReadSpaceEntry(string name, YamlMappingNode entry)
    {
        RejectUnknownKeys(entry, SpaceEntryKeys);
        string[] kinds = ["int", "float", "choice"];
        var given = kinds.Where(k => entry.Children.ContainsKey(new YamlScalarNode(k))).ToArray();
        string expected = BenchmarkSpace.AllowedChoices(name) is not null ? "choice" : BenchmarkSpace.IsInteger(name) ? "int" : "float";
        if (given.Length != 1 || given[0] != expected)
        {
            string example = expected switch
            {
                "choice" => $"{{choice: [{string.Join(", ", BenchmarkSpace.AllowedChoices(name)!)}]}}",
                "int" => "{int: [low, high]}",
                _ => "{float: [low, high], log: true}",
            };
            Issue(entry, $"parameter '{name}' needs exactly one '{expected}' range, e.g. {example}");
            return null;
        }

        bool log = Bool(entry, "log") ?? false;
        ParameterDefinition? parameter;
        if (expected == "choice")
        {
            var choices = StringList(entry, "choice");
            var allowed = BenchmarkSpace.AllowedChoices(name)!;
            var bad = choices?.FirstOrDefault(c => !allowed.Contains(c));
            if (choices is null || choices.Length == 0 || bad is not null)
            {
                Issue(entry.Children[new YamlScalarNode("choice")],
                    $"'{name}' choices must be a non-empty list drawn from [{string.Join(", ", allowed)}]" + (bad is null ? "" : $", got '{bad}'{Suggest(bad, allowed)}"));
                return null;
            }

            parameter = new CategoricalParameter(name, choices);
        }
        else
        {
            var range = Numbers(entry, expected, 2, $"two numbers [low, high] with low < high{(expected == "int" ? ", whole" : "")}",
                v => expected != "int" || v == Math.Floor(v));
            if (range is null)
            {
                return null;
            }

            if (range[0] >= range[1])
            {
                Issue(entry.Children[new YamlScalarNode(expected)], Invariant($"'{name}' range must have low < high, got [{range[0]}, {range[1]}]"));
                return null;
            }

            parameter = expected == "int"
                ? new IntParameter(name, (int)range[0], (int)range[1], log)
                : new FloatParameter(name, range[0], range[1], log);
        }

        if (entry.Children.TryGetValue(new YamlScalarNode("when"), out var whenNode))
        {
            if (whenNode is not YamlMappingNode { Children.Count: 1 } when
                || when.Children.First() is not (YamlScalarNode { Value: { } parent }, var values))
            {
                Issue(whenNode, "'when' must be one condition, e.g. {penalty: elasticnet} or {penalty: [l1, elasticnet]}");
                return null;
            }

            string[]? list = values switch
            {
                YamlScalarNode { Value: { } one } => [one],
                YamlSequenceNode seq when seq.Children.All(c => c is YamlScalarNode) => seq.Children.Cast<YamlScalarNode>().Select(s => s.Value ?? "").ToArray(),
                _ => null,
            };
            if (list is null)
            {
                Issue(values, "a 'when' value must be a choice or a list of choices");
                return null;
            }

            parameter = parameter with { When = new ActivationCondition(parent, list) };
        }

        return parameter;
    }
}
