using Crlm.Core.Evaluation;

namespace Crlm.Core.Tests.Evaluation;

public class PatientAggregationTests
{
    private static readonly ScanPrediction[] Scans =
    [
        new("p2", "s1", "siteB", "external", "portal_venous", false, 0.2),
        new("p1", "s1", "siteA", "internal_test", "arterial", true, 0.9),
        new("p1", "s2", "siteA", "internal_test", "portal_venous", true, 0.5),
        new("p1", "s3", "siteA", "internal_test", "portal_venous", true, 0.6),
        new("p3", "s1", "siteA", "internal_test", "arterial", false, 0.4),
    ];

    [Fact]
    public void A_patient_is_the_mean_of_their_scans_and_counts_once()
    {
        var patients = PatientAggregation.ByPatient(Scans);
        Assert.Equal(["p1", "p2", "p3"], patients.Select(p => p.PatientId));
        Assert.Equal((0.9 + 0.5 + 0.6) / 3, patients[0].Probability, 15);
        Assert.Equal(3, patients[0].Scans);
        Assert.Null(patients[0].Phase);
    }

    [Fact]
    public void Per_phase_rows_average_only_that_phase()
    {
        var rows = PatientAggregation.ByPatientAndPhase(Scans);
        var p1Venous = rows.Single(r => r.PatientId == "p1" && r.Phase == "portal_venous");
        Assert.Equal(0.55, p1Venous.Probability, 15);
        Assert.Equal(4, rows.Count);
    }

    [Fact]
    public void Scans_that_disagree_on_the_label_are_a_data_error()
    {
        ScanPrediction[] bad = [.. Scans, new("p2", "s2", "siteB", "external", "arterial", true, 0.3)];
        var ex = Assert.Throws<ArgumentException>(() => PatientAggregation.ByPatient(bad));
        Assert.Contains("p2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Subgroup_tables_use_the_overall_threshold_and_ordinal_order()
    {
        var patients = PatientAggregation.ByPatient(Scans);
        var bySite = SubgroupTable.BySite(patients, 0.5);
        Assert.Equal(["siteA", "siteB"], bySite.Select(r => r.Group));
        Assert.Equal(2, bySite[0].N);
        Assert.Equal(1.0, bySite[0].Auc);
        Assert.Null(bySite[1].Auc);
        Assert.All(bySite, r => Assert.Equal(0.5, r.OperatingPoint.Threshold));

        var byDataset = SubgroupTable.ByDataset(patients, 0.5);
        Assert.Equal(["external", "internal_test"], byDataset.Select(r => r.Group));

        var byPhase = SubgroupTable.ByPhase(Scans, 0.5);
        Assert.Equal(["arterial", "portal_venous"], byPhase.Select(r => r.Group));
        Assert.Equal(2, byPhase[1].N);

        var ordinal = SubgroupTable.By([true, false, true], [0.9, 0.1, 0.8], ["site10", "site2", "Site1"], 0.5);
        Assert.Equal(["Site1", "site10", "site2"], ordinal.Select(r => r.Group));
    }
}
