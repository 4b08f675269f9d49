using Crlm.Core.Search;

namespace Crlm.Core.Tests.Search;

public class SearchSpaceTests
{
    [Fact]
    public void Canonical_text_lists_parents_before_children_with_invariant_numbers()
    {
        SearchSpace space = SearchSpace.Create(
            new FloatParameter("l1_ratio", 0, 1) { When = new ActivationCondition("penalty", "elasticnet") },
            new FloatParameter("C", 1e-4, 100, Log: true),
            new CategoricalParameter("penalty", ["l1", "elasticnet"]));

        Assert.Equal(
            "C=float[0.0001,100,log];penalty=choice[\"l1\",\"elasticnet\"];l1_ratio=float[0,1] when penalty in [\"elasticnet\"]",
            space.CanonicalText);
        Assert.Equal(["C", "penalty", "l1_ratio"], space.Parameters.Select(p => p.Name));
    }

    [Theory]
    [InlineData("low (5) must be less than high (5)")]
    public void Int_with_empty_range_is_rejected(string expected)
    {
        var e = Assert.Throws<SearchSpaceException>(() => SearchSpace.Create(new IntParameter("k", 5, 5)));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_declarations_get_messages_that_name_the_parameter_and_the_problem()
    {
        AssertRejected("'C': low (2) must be less than high (1)", new FloatParameter("C", 2, 1));
        AssertRejected("'C': a log-scaled float needs low > 0, got 0", new FloatParameter("C", 0, 1, Log: true));
        AssertRejected("'n': a log-scaled int needs low >= 1, got 0", new IntParameter("n", 0, 10, Log: true));
        AssertRejected("'p': the list of choices is empty", new CategoricalParameter("p", []));
        AssertRejected("'p': the choices repeat a value", new CategoricalParameter("p", ["a", "a"]));
        AssertRejected("'r' depends on unknown parameter 'penalty'", new FloatParameter("r", 0, 1) { When = new ActivationCondition("penalty", "l1") });
        AssertRejected("'r' depends on 'C', which is not categorical",
            new FloatParameter("C", 1, 2), new FloatParameter("r", 0, 1) { When = new ActivationCondition("C", "1") });
        AssertRejected("the condition value 'l3' is not a choice of 'p'",
            new CategoricalParameter("p", ["l1", "l2"]), new FloatParameter("r", 0, 1) { When = new ActivationCondition("p", "l3") });
        AssertRejected("Parameter 'x' is declared twice", new FloatParameter("x", 0, 1), new IntParameter("x", 0, 1));
        AssertRejected("name 'a b' is not allowed", new FloatParameter("a b", 0, 1));
        AssertRejected("declares no parameters");
        AssertRejected("The conditions form a cycle",
            new CategoricalParameter("a", ["x"]) { When = new ActivationCondition("b", "y") },
            new CategoricalParameter("b", ["y"]) { When = new ActivationCondition("a", "x") });
    }

    [Fact]
    public void Random_values_stay_in_range_ints_are_whole_and_every_integer_is_reached()
    {
        SearchSpace space = SearchTestSupport.LogisticSpace();
        var sampler = new RandomSampler();
        var seenPca = new HashSet<int>();
        for (int k = 0; k < 3000; k++)
        {
            ParameterAssignment a = sampler.Suggest(space, 11, k, []);
            seenPca.Add(a.GetInt("pca_components"));
            Assert.InRange(a.GetDouble("C"), 1e-4, 1e2);
        }

        Assert.Equal(64, seenPca.Count);
        Assert.Equal(1, seenPca.Min());
        Assert.Equal(64, seenPca.Max());
    }

    [Fact]
    public void Log_parameters_are_uniform_in_log_space()
    {
        var c = new FloatParameter("C", 1e-4, 1e2, Log: true);
        var n = new IntParameter("n", 1, 1000, Log: true);
        double[] cs = Enumerable.Range(0, 4001).Select(k => RandomSampler.SampleValue(c, SamplingStreams.For(3, k, "C")).Number).Order().ToArray();
        double[] ns = Enumerable.Range(0, 4001).Select(k => RandomSampler.SampleValue(n, SamplingStreams.For(3, k, "n")).Number).Order().ToArray();

        // Medians near the geometric means of the bounds (1e-1; for the int, of the widened bounds
        // 0.5 and 1000.5: ~22.4), far from the arithmetic means (50 and 500).
        Assert.InRange(Math.Log10(cs[2000]), -1.1, -0.9);
        Assert.InRange(Math.Log10(ns[2000]), Math.Log10(Math.Sqrt(0.5 * 1000.5)) - 0.1, Math.Log10(Math.Sqrt(0.5 * 1000.5)) + 0.1);
        Assert.All(ns, v => Assert.Equal(Math.Round(v), v));
    }

    [Fact]
    public void Conditional_parameters_appear_exactly_when_their_parent_allows()
    {
        SearchSpace space = SearchTestSupport.LogisticSpace();
        foreach (ISampler sampler in new ISampler[] { new RandomSampler(), new TpeSampler() })
        {
            SearchResult result = SearchTestSupport.Run(space, sampler, 5, 40, a => a.GetDouble("C"));
            Assert.All(result.Trials, t =>
            {
                string penalty = t.Parameters.GetChoice("penalty");
                Assert.Equal(penalty == "elasticnet", t.Parameters.Contains("l1_ratio"));
                Assert.Equal(penalty == "l2", t.Parameters.Contains("solver"));
                Assert.InRange(t.Parameters.GetInt("pca_components"), 1, 64);
            });
            Assert.Contains(result.Trials, t => t.Parameters.Contains("l1_ratio"));
            Assert.Contains(result.Trials, t => t.Parameters.Contains("solver"));
        }
    }

    [Fact]
    public void Normal_tail_function_matches_reference_values()
    {
        // erfc reference values (Abramowitz and Stegun table 7.1 / scipy).
        Assert.Equal(1.0, NormalMath.Erfc(0), 1e-7);
        Assert.Equal(0.157299207050285, NormalMath.Erfc(1), 1e-7);
        Assert.Equal(1.842700792949715, NormalMath.Erfc(-1), 1e-7);
        Assert.Equal(4.677734981047266e-3, NormalMath.Erfc(2), 1e-9);
        Assert.Equal(Math.Log(0.682689492137086), NormalMath.LogMass(-1, 1), 1e-6);
        Assert.Equal(Math.Log(1e-4) + NormalMath.LogPdf(0.5), NormalMath.LogMass(0.49995, 0.50005), 1e-6);
    }

    private static void AssertRejected(string expected, params ParameterDefinition[] parameters)
    {
        var e = Assert.Throws<SearchSpaceException>(() => SearchSpace.Create(parameters));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
