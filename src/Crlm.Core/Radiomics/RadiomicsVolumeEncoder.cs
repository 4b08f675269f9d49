using System.Collections.Concurrent;
using System.Globalization;
using Crlm.Core.Embedding;

namespace Crlm.Core.Radiomics;

/// <summary>
/// The built-in, download-free encoder: IBSI radiomics of the liver (<see cref="RadiomicsExtractor"/>) as one vector
/// per scan. Scans run concurrently, one per core. A feature that is undefined for a scan (NaN, e.g. a correlation of
/// a one-level ROI) is written as 0 and reported once per feature in <see cref="Warnings"/>, since a benchmark cannot
/// take NaN and dropping the scan would bias it.
/// </summary>
public sealed class RadiomicsVolumeEncoder(RadiomicsSettings settings) : IVolumeEncoder
{
    private readonly ConcurrentDictionary<string, int> _undefined = new(StringComparer.Ordinal);

    public string Identity { get; } = string.Join(';',
        "radiomics",
        settings.CanonicalText(),
        "code=" + typeof(RadiomicsExtractor).Assembly.ManifestModule.ModuleVersionId.ToString("N"));

    public int Dimension => RadiomicsExtractor.FeatureNames.Count;

    public int PreferredBatch => 1;

    public bool RunsInParallel => true;

    public IReadOnlyList<string> Warnings => _undefined
        .OrderBy(p => p.Key, StringComparer.Ordinal)
        .Select(p => string.Create(CultureInfo.InvariantCulture, $"'{p.Key}' was undefined for {p.Value} scan(s) and written as 0"))
        .ToArray();

    public IReadOnlyList<string>? FeatureNames => RadiomicsExtractor.FeatureNames;

    public IReadOnlyList<float[]> Encode(IReadOnlyList<EncoderInput> scans)
    {
        ArgumentNullException.ThrowIfNull(scans);
        return scans.Select(Encode).ToArray();
    }

    private float[] Encode(EncoderInput scan)
    {
        var features = RadiomicsExtractor.Extract(scan.Image, scan.Liver, settings);
        var vector = new float[features.Count];
        for (int n = 0; n < features.Count; n++)
        {
            double value = features[n].Value;
            if (double.IsFinite(value))
            {
                vector[n] = (float)value;
            }
            else
            {
                _undefined.AddOrUpdate(features[n].Family + ": " + features[n].Name, 1, (_, count) => count + 1);
            }
        }

        return vector;
    }

    public void Dispose()
    {
    }
}
