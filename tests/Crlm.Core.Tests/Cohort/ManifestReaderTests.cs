using Crlm.Core.Cohort;
using Crlm.Core.Tests.TestSupport;

namespace Crlm.Core.Tests.Cohort;

public class ManifestReaderTests
{
    private const string Header = "patient_id,scan_id,site,phase,label,image,liver_mask,lesion_mask,lesions_complete,age,sex";

    private static ManifestReport Load(TempFolder folder, params string[] rows) =>
        ManifestReader.Load(folder.Write("manifest.csv", Header + "\n" + string.Join("\n", rows) + "\n"));

    [Fact]
    public void Parses_a_clean_manifest_with_paths_relative_to_the_manifest_and_covariates()
    {
        using var folder = new TempFolder();
        var report = ManifestReader.Load(folder.Write(
            "cohort/manifest.csv",
            Header + ",cea\n" +
            "p1,s1,A,portal_venous,crlm,img/s1.nii.gz,liver/s1.nii.gz,lesion/s1.nii.gz,true,61,F,12.5\n" +
            "p1,s2,A,arterial,crlm,img/s2.nii.gz,liver/s2.nii.gz,,false,61,F,12.5\n" +
            "p2,s3,B,delayed,negative,img/s3.nii.gz,liver/s3.nii.gz,,,,,\n"));

        // The only remark: a crlm scan with no lesion mask cannot serve detection.
        var warning = Assert.Single(report.Issues);
        Assert.Equal((3, "lesion_mask", false), (warning.Line, warning.Column, warning.IsError));
        var scans = report.Manifest.Scans;
        Assert.Equal(3, scans.Count);
        Assert.Equal(Path.Combine(folder.Path, "cohort", "img", "s1.nii.gz"), scans[0].ImagePath);
        Assert.Equal(ContrastPhase.PortalVenous, scans[0].Phase);
        Assert.Equal(CohortLabel.Crlm, scans[0].Label);
        Assert.True(scans[0].LesionsComplete);
        Assert.Equal(61, scans[0].Age);
        Assert.Equal(PatientSex.Female, scans[0].Sex);
        Assert.Equal("12.5", scans[0].Covariates["cea"]);
        Assert.Null(scans[1].LesionMaskPath);
        Assert.Null(scans[2].Age);
        Assert.Equal(4, scans[2].Line);
        var patients = report.Manifest.Patients();
        Assert.Equal(["p1", "p2"], patients.Select(p => p.PatientId));
        Assert.Equal(2, patients[0].Scans.Count);
    }

    [Fact]
    public void Reports_every_problem_at_once_each_with_line_and_column()
    {
        using var folder = new TempFolder();
        var report = Load(
            folder,
            "p1,s1,A,portal_venous,crlm,a.nii,l.nii,m.nii,true,61,F",
            "p2,s2,A,venous,crlmm,a.nii,l.nii,,maybe,-3,X",
            "p3,s1,A,arterial,negative,a.nii,,,,,",
            "p1,s4,B,delayed,negative,a.nii,l.nii,,,,",
            "p5,s5,A,arterial,negative,a.nii,l.nii");

        var messages = report.Issues.Where(i => i.IsError).Select(i => (i.Line, i.Column)).ToList();
        Assert.Contains((3, "phase"), messages);
        Assert.Contains((3, "label"), messages);
        Assert.Contains((3, "lesions_complete"), messages);
        Assert.Contains((3, "age"), messages);
        Assert.Contains((3, "sex"), messages);
        Assert.Contains((4, "liver_mask"), messages);
        Assert.Contains((4, "scan_id"), messages);
        Assert.Contains((5, "label"), messages);
        Assert.Contains((5, "site"), messages);
        Assert.Contains((6, (string?)null), messages);
        Assert.True(report.HasErrors);

        var unknownLabel = report.Issues.Single(i => i.Line == 3 && i.Column == "label");
        Assert.Equal(
            "manifest.csv:3: column 'label': error: unknown label 'crlmm' (expected one of: crlm, non_crlm, negative)",
            unknownLabel.ToString().Replace(folder.Path + Path.DirectorySeparatorChar, "", StringComparison.Ordinal));
        var duplicate = report.Issues.Single(i => i.Line == 4 && i.Column == "scan_id");
        Assert.Contains("duplicate scan_id 's1' (first on line 2)", duplicate.Message, StringComparison.Ordinal);
        var conflict = report.Issues.Single(i => i.Line == 5 && i.Column == "label");
        Assert.Contains("patient 'p1' has conflicting labels", conflict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_required_columns_are_named()
    {
        using var folder = new TempFolder();
        var report = ManifestReader.Load(folder.Write("m.csv", "patient_id,scan_id,site,label,image\np1,s1,A,crlm,a.nii\n"));
        var missing = report.Issues.Where(i => i.Line == 1).Select(i => i.Column).ToHashSet();
        Assert.Equal(new HashSet<string?> { "phase", "liver_mask", "lesion_mask", "lesions_complete", "age", "sex" }, missing);
        Assert.Empty(report.Manifest.Scans);
    }

    [Fact]
    public void A_missing_or_empty_manifest_is_a_format_error_naming_the_file()
    {
        using var folder = new TempFolder();
        var missing = Assert.Throws<ManifestFormatException>(() => ManifestReader.Load(folder.File("nope.csv")));
        Assert.Contains("nope.csv: manifest file not found", missing.Message, StringComparison.Ordinal);
        var empty = Assert.Throws<ManifestFormatException>(() => ManifestReader.Load(folder.Write("empty.csv", "")));
        Assert.Contains("empty.csv", empty.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Warnings_do_not_make_the_manifest_fatal()
    {
        using var folder = new TempFolder();
        var report = Load(folder, "p1,s1,A,,crlm,a.nii,l.nii,,,,");
        Assert.False(report.HasErrors);
        Assert.Contains(report.Issues, i => i.Column == "phase" && !i.IsError);
        Assert.Contains(report.Issues, i => i.Column == "lesion_mask" && !i.IsError);
        Assert.Equal(ContrastPhase.Unknown, report.Manifest.Scans[0].Phase);
    }
}
