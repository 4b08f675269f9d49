using System.Globalization;
using System.Text;
using Crlm.Core.Radiomics;
using Crlm.Core.Tests.TestSupport;

namespace Crlm.Core.Tests.Radiomics;

/// <summary>GLCM, GLRLM and GLSZM of the IBSI digital phantom against every reference value and printed matrix.</summary>
public sealed class TextureConformanceTests
{
    [RequiresIbsiFact]
    public void Glcm_matches_every_IBSI_digital_phantom_reference_value_in_every_aggregation() =>
        AssertAllReferenceValues("glcm", Enum.GetValues<TextureAggregation>().ToDictionary(a => a.IbsiName(), a => GlcmFeatures.Compute(IbsiReference.DigitalPhantom(), a)));

    [RequiresIbsiFact]
    public void Glrlm_matches_every_IBSI_digital_phantom_reference_value_in_every_aggregation() =>
        AssertAllReferenceValues("glrlm", Enum.GetValues<TextureAggregation>().ToDictionary(a => a.IbsiName(), a => GlrlmFeatures.Compute(IbsiReference.DigitalPhantom(), a)));

    [RequiresIbsiFact]
    public void Glszm_matches_every_IBSI_digital_phantom_reference_value_in_every_aggregation() =>
        AssertAllReferenceValues("glszm", Enum.GetValues<ZoneAggregation>().ToDictionary(a => a.IbsiName(), a => GlszmFeatures.Compute(IbsiReference.DigitalPhantom(), a)));

    [RequiresIbsiFact]
    public void Glcm_matrices_equal_the_manuals_printed_matrices_per_slice_and_direction() =>
        AssertMatrices("glcm", key =>
        {
            var roi = IbsiReference.DigitalPhantom();
            var directions = key.Direction is { } d ? [d] : key.Layout.StartsWith("3D", StringComparison.Ordinal) ? TextureDirections.Volume : TextureDirections.InPlane;
            var matrix = GlcmMatrix.Build(roi, directions, key.Slice);
            return Enumerable.Range(1, 6).SelectMany(i => Enumerable.Range(1, 6).Select(j => (i, j, matrix[i, j])));
        });

    [RequiresIbsiFact]
    public void Glrlm_matrices_equal_the_manuals_printed_matrices_per_slice_and_direction() =>
        AssertMatrices("glrlm", key =>
        {
            var roi = IbsiReference.DigitalPhantom();
            var directions = key.Direction is { } d ? [d] : key.Layout.StartsWith("3D", StringComparison.Ordinal) ? TextureDirections.Volume : TextureDirections.InPlane;
            return GlrlmMatrix.Build(roi, directions, key.Slice).Entries().Select(e => (e.Level, e.Size, e.Count));
        });

    [RequiresIbsiFact]
    public void Glszm_matrices_equal_the_manuals_printed_matrices_per_slice_and_in_3D() =>
        AssertMatrices("glszm", key =>
        {
            var connectivity = key.Layout.StartsWith("3D", StringComparison.Ordinal) ? ZoneConnectivity.Volume26 : ZoneConnectivity.InPlane8;
            return GlszmMatrix.Build(IbsiReference.DigitalPhantom(), connectivity, key.Slice).Entries.Select(e => (e.Level, e.Size, e.Count));
        });

    private static void AssertAllReferenceValues(string family, Dictionary<string, IReadOnlyList<RadiomicsFeature>> computed)
    {
        var references = IbsiReference.DigitalPhantomValues(family);
        Assert.NotEmpty(references);
        var failures = new StringBuilder();
        int passed = 0;
        foreach (var reference in references)
        {
            if (!computed.TryGetValue(reference.Aggregation, out var features))
            {
                failures.AppendLine(CultureInfo.InvariantCulture, $"{reference.Aggregation} / {reference.Feature}: aggregation not computed");
                continue;
            }

            var feature = features.SingleOrDefault(f => f.Name == reference.Feature);
            if (feature is null)
            {
                failures.AppendLine(CultureInfo.InvariantCulture, $"{reference.Aggregation} / {reference.Feature}: feature not produced");
            }
            else if (feature.Family != family || !reference.Accepts(feature.Value))
            {
                failures.AppendLine(CultureInfo.InvariantCulture, $"{reference.Aggregation} / {reference.Feature}: computed {feature.Value:G6}, expected {reference.Value:G6} ± {reference.AllowedError:G3} ({feature.Family})");
            }
            else
            {
                passed++;
            }
        }

        Assert.True(failures.Length == 0, $"{family}: {passed} of {references.Count} reference values pass; failures:\n{failures}");
    }

    private static void AssertMatrices(string family, Func<IbsiMatrixKey, IEnumerable<(int Row, int Column, long Count)>> compute)
    {
        var printed = IbsiTextureMatrices.Read(family);
        Assert.NotEmpty(printed);
        var failures = new StringBuilder();
        int checkedMatrices = 0;
        foreach (var (key, expected) in printed)
        {
            var actual = compute(key).Where(c => c.Count != 0).ToDictionary(c => (c.Row, c.Column), c => c.Count);
            var mismatches = expected.Keys.Union(actual.Keys)
                .Where(cell => expected.GetValueOrDefault(cell) != actual.GetValueOrDefault(cell))
                .Select(cell => $"({cell.Row},{cell.Column}) printed {expected.GetValueOrDefault(cell)} computed {actual.GetValueOrDefault(cell)}")
                .ToList();
            if (mismatches.Count > 0)
            {
                failures.AppendLine(CultureInfo.InvariantCulture, $"{key.Layout}, slice {key.Slice}, direction {key.Direction}: {string.Join("; ", mismatches)}");
            }

            checkedMatrices++;
        }

        Assert.True(failures.Length == 0, $"{family}: {checkedMatrices} printed matrices; mismatches:\n{failures}");
    }
}
