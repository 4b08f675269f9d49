using Crlm.Core.Imaging;
using Crlm.Core.IO.Nifti;

namespace Crlm.Core.Cohort;

/// <summary>
/// The checks that open files: every path exists and is a readable NIfTI image, and every mask
/// lies on its image's voxel grid (same size, voxel centres within
/// <see cref="VolumeGeometry.DefaultMatchToleranceMm"/>). Only headers are read, in parallel, so a
/// large cohort is checked in seconds.
/// </summary>
public static class ManifestFileCheck
{
    public static IReadOnlyList<ManifestIssue> Check(IReadOnlyList<ScanRecord> scans, string displayName, int maxParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(scans);
        var perScan = new IReadOnlyList<ManifestIssue>[scans.Count];
        Parallel.For(
            0,
            scans.Count,
            new ParallelOptions { MaxDegreeOfParallelism = maxParallelism },
            n => perScan[n] = CheckScan(scans[n], displayName));
        return perScan.SelectMany(x => x).ToArray();
    }

    private static List<ManifestIssue> CheckScan(ScanRecord scan, string file)
    {
        var issues = new List<ManifestIssue>();
        var image = ReadGeometry(scan, "image", scan.ImagePath, file, issues);
        var liver = ReadGeometry(scan, "liver_mask", scan.LiverMaskPath, file, issues);
        var lesion = scan.LesionMaskPath is null ? null : ReadGeometry(scan, "lesion_mask", scan.LesionMaskPath, file, issues);
        if (image is not null)
        {
            CheckSameGrid(scan, "liver_mask", scan.LiverMaskPath, liver, image, file, issues);
            CheckSameGrid(scan, "lesion_mask", scan.LesionMaskPath, lesion, image, file, issues);
        }

        return issues;
    }

    private static VolumeGeometry? ReadGeometry(ScanRecord scan, string column, string path, string file, List<ManifestIssue> issues)
    {
        if (path.Length == 0)
        {
            return null; // an empty required cell is already reported by the reader
        }

        if (!File.Exists(path))
        {
            issues.Add(new(IssueSeverity.Error, file, scan.Line, column, $"file not found: {path}"));
            return null;
        }

        try
        {
            return NiftiReader.ReadHeader(path).Geometry();
        }
        catch (Exception e) when (e is NiftiFormatException or IOException or ArgumentException or UnauthorizedAccessException)
        {
            issues.Add(new(IssueSeverity.Error, file, scan.Line, column, $"cannot read {path}: {e.Message}"));
            return null;
        }
    }

    private static void CheckSameGrid(
        ScanRecord scan, string column, string? maskPath, VolumeGeometry? mask, VolumeGeometry image, string file, List<ManifestIssue> issues)
    {
        if (mask is null || maskPath is null || mask.SameGridAs(image))
        {
            return;
        }

        issues.Add(new(IssueSeverity.Error, file, scan.Line, column,
            $"mask grid does not match its image: {maskPath} is {mask} but {scan.ImagePath} is {image}"));
    }
}

/// <summary>Loads a manifest and runs every check, CSV-level and file-level, returning all issues in line order.</summary>
public static class ManifestValidator
{
    public static ManifestReport Validate(string path, bool checkFiles = true)
    {
        var report = ManifestReader.Load(path);
        if (!checkFiles)
        {
            return report;
        }

        var fileIssues = ManifestFileCheck.Check(report.ReadableRows, path);
        var all = report.Issues.Concat(fileIssues)
            .OrderBy(i => i.Line)
            .ToArray();
        return report with { Issues = all };
    }
}
