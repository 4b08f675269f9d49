using System.Globalization;
using System.Text;
using Crlm.Core.Imaging;
using Crlm.Core.IO.Nifti;

namespace Crlm.Reporting.Tests.TestSupport;

/// <summary>
/// A hand-made run folder with every file the report reads, in the shapes the stages write (run.json, cohort_by_site.csv,
/// splits.csv, preprocess/scans.csv with real NIfTI boxes, embeddings/NAME.csv, benchmark.json and its per-encoder files).
/// Names are given so a test can put hostile text in them.
/// </summary>
internal static class FakeRun
{
    public const string Hostile = "<script>alert(1)</script>\"q'&amp";

    public static void WriteAll(string dir, string site = "KAUNOS", string patient = "P001", string encoder = "fmcib")
    {
        WriteRunJson(dir, "demo " + site);
        string q(string s) => "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        Write(dir, "cohort_by_site.csv",
            "site,external,train_crlm,train_non_crlm,train_negative,test_crlm,test_non_crlm,test_negative\n" +
            $"{q(site)},false,3,2,1,1,1,0\nUMEA,true,0,0,0,2,1,1\n");
        Write(dir, "splits.csv", $"patient_id,site,label,set,fold,external_site\n{q(patient)},{q(site)},crlm,train,0,false\nP002,UMEA,negative,test,-1,true\n");

        string boxes = Path.Combine(dir, "cache");
        Directory.CreateDirectory(boxes);
        WriteBox(boxes, "a", withLesion: true);
        WriteBox(boxes, "b", withLesion: false);
        string originals = Path.Combine(dir, "originals");
        WriteOriginal(Path.Combine(originals, "a"), OriginalGrid);
        WriteOriginal(Path.Combine(originals, "b"), OriginalGrid);
        Write(dir, "cohort/manifest.csv",
            "patient_id,scan_id,site,phase,label,image,liver_mask,lesion_mask,lesions_complete,age,sex\n" +
            $"{q(patient)},{q(patient + "-s1")},{q(site)},portal_venous,crlm,{originals}/a/image.nii.gz,{originals}/a/liver.nii.gz,,false,60,F\n" +
            $"P002,P002-s1,UMEA,arterial,negative,{originals}/b/image.nii.gz,{originals}/b/liver.nii.gz,,false,70,M\n");
        Write(dir, "preprocess/scans.csv",
            "patient_id,scan_id,key,image,liver_mask,lesion_mask,liver_voxels,lesion_voxels,crop_start,norm_mean,norm_std,warnings\n" +
            $"{q(patient)},{q(patient + "-s1")},k1,{boxes}/a/image.nii.gz,{boxes}/a/liver.nii.gz,{boxes}/a/lesions.nii.gz,900,40,0 0 0,0.1,1.0,0\n" +
            $"P002,P002-s1,k2,{boxes}/b/image.nii.gz,{boxes}/b/liver.nii.gz,,800,,0 0 0,0.2,0.9,1\n");
        Write(dir, $"embeddings/{encoder}.csv",
            "patient_id,label,site,scan_id,phase,class,set,fold,f0,f1,f2\n" +
            $"{q(patient)},1,{q(site)},{q(patient + "-s1")},portal_venous,crlm,train,0,0.1,0.2,0.3\n" +
            "P002,0,UMEA,P002-s1,arterial,negative,test,-1,0.3,0.2,0.1\n");
        Write(dir, $"embeddings/{encoder}.features.csv", "index,name\n0,a\n1,b\n2,c\n");
        WriteBenchmark(dir, [encoder, "resnet3d"], encoder);
        Write(dir, $"benchmark/{encoder}/test_predictions.csv",
            "patient_id,site,dataset,y_true,y_prob\n" +
            $"{q(patient)},{q(site)},test,1,0.9\nP002,UMEA,external,0,0.2\nP003,UMEA,external,1,0.4\nP004,UMEA,external,0,0.6\n");
        Write(dir, $"benchmark/{encoder}/trials.jsonl", Trials(0.61, 0.7, 0.66, 0.74));
        Write(dir, "benchmark/resnet3d/test_predictions.csv", "patient_id,site,dataset,y_true,y_prob\nP002,UMEA,external,0,0.3\nP004,UMEA,external,0,0.7\n");
        Write(dir, "benchmark/resnet3d/trials.jsonl", Trials(0.55));
    }

    public static void WriteRunJson(string dir, string name) => Write(dir, "run.json", $$"""
        {
          "name": {{System.Text.Json.JsonSerializer.Serialize(name)}},
          "spec": "/data/pipelines.yaml",
          "spec_sha256": "5f1c0c0ffee",
          "seed": 42,
          "data_sha256": "a11da7a",
          "status": "completed",
          "started": "2025-01-01T10:00:00+00:00",
          "finished": "2025-01-01T10:02:03.5+00:00",
          "stages": [
            { "name": "cohort", "outcome": "completed", "seconds": 1.25, "error": null },
            { "name": "split", "outcome": "completed", "seconds": 0.01, "error": null },
            { "name": "preprocess", "outcome": "cached", "seconds": 12.5, "error": null },
            { "name": "embed", "outcome": "completed", "seconds": 80, "error": null }
          ],
          "versions": { "crlm": "1.0.0+abc", ".NET": "10.0.0", "os": "Debian 12" }
        }
        """);

    public static void WriteBenchmark(string dir, IReadOnlyList<string> encoders, string winner)
    {
        var items = encoders.Select((name, i) => $$"""
            { "name": {{System.Text.Json.JsonSerializer.Serialize(name)}}, "cv_auc": { "mean": {{0.7 + 0.05 * i}}, "sd": 0.04 },
              "config": { "pca": 0.9, "C": 1.5 },
              "test": { "auc": { "value": 0.75, "ci_low": 0.61, "ci_high": 0.87 }, "balanced_accuracy": { "value": 0.7, "ci_low": 0.6, "ci_high": 0.8 },
                        "sensitivity": 0.8, "specificity": 0.6, "precision": 0.66, "f1": 0.72, "threshold": 0.41 },
              "subgroups": {}, "trials": 4, "search_s": 12.5 }
            """);
        Write(dir, "benchmark.json", $"{{ \"encoders\": [{string.Join(",", items)}], \"winner\": {System.Text.Json.JsonSerializer.Serialize(winner)} }}");
    }

    public static string Trials(params double[] scores)
    {
        var text = new StringBuilder();
        for (int n = 0; n < scores.Length; n++)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"{{\"number\": {n}, \"params\": {{\"C\": {n + 1}}}, \"score\": {scores[n]}, \"fold_scores\": [{scores[n]}, {scores[n]}], \"duration\": 0.5}}\n");
        }

        return text.ToString();
    }

    public static string Write(string dir, string relative, string content)
    {
        string path = Path.Combine(dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>
    /// The original CT grid the fake boxes were cropped from: 40x36x10 at 1 mm, RAS, placed so that the boxes (24x20x6,
    /// origin 0) cover canonical voxels i 4..27, j 10..29, k 2..7, off-centre on both axes so a mirrored display shows.
    /// </summary>
    public static readonly VolumeGeometry OriginalGrid = new(new Int3(40, 36, 10), new Vec3(1, 1, 1), new Vec3(-4, -10, -2), Matrix3.Identity);

    /// <summary>
    /// An original CT (int16 HU) and liver mask on <paramref name="grid"/>, drawn in world coordinates: the liver is the
    /// boxes' ellipse (centre x 12, y 10 mm), 60 HU in a -100 HU body; the same picture whatever the grid's orientation.
    /// </summary>
    public static void WriteOriginal(string folder, VolumeGeometry grid)
    {
        var image = new Volume<short>(grid);
        var liver = new Volume<byte>(grid);
        for (int k = 0; k < grid.Size.Z; k++)
        {
            for (int j = 0; j < grid.Size.Y; j++)
            {
                for (int i = 0; i < grid.Size.X; i++)
                {
                    var p = grid.IndexToWorld(i, j, k);
                    bool inLiver = Math.Pow((p.X - 12) / 9.0, 2) + Math.Pow((p.Y - 10) / 7.0, 2) < 1;
                    liver[i, j, k] = (byte)(inLiver ? 1 : 0);
                    image[i, j, k] = (short)(inLiver ? 60 : -100);
                }
            }
        }

        Directory.CreateDirectory(folder);
        NiftiWriter.Write(Path.Combine(folder, "image.nii.gz"), image);
        NiftiWriter.Write(Path.Combine(folder, "liver.nii.gz"), liver);
    }

    /// <summary>A 24x20x6 box: a noisy elliptical "liver" with a bright lesion, as the preprocess stage stores it.</summary>
    private static void WriteBox(string root, string name, bool withLesion)
    {
        var geometry = VolumeGeometry.Axial(new Int3(24, 20, 6), new Vec3(1, 1, 1));
        var image = new Volume<float>(geometry);
        var liver = new Volume<byte>(geometry);
        var lesion = new Volume<byte>(geometry);
        for (int k = 0; k < 6; k++)
        {
            for (int j = 0; j < 20; j++)
            {
                for (int i = 0; i < 24; i++)
                {
                    double r = Math.Pow((i - 12) / 9.0, 2) + Math.Pow((j - 10) / 7.0, 2);
                    bool inLiver = r < 1 - 0.1 * Math.Abs(k - 3);
                    bool inLesion = withLesion && Math.Pow(i - 14, 2) + Math.Pow(j - 9, 2) < 6;
                    liver[i, j, k] = (byte)(inLiver ? 1 : 0);
                    lesion[i, j, k] = (byte)(inLiver && inLesion ? 1 : 0);
                    image[i, j, k] = (float)((inLiver ? 1.0 : -1.0) + (inLesion ? 1.5 : 0) + 0.1 * ((i * 7 + j * 13) % 5));
                }
            }
        }

        string folder = Path.Combine(root, name);
        Directory.CreateDirectory(folder);
        NiftiWriter.Write(Path.Combine(folder, "image.nii.gz"), image);
        NiftiWriter.Write(Path.Combine(folder, "liver.nii.gz"), liver);
        if (withLesion)
        {
            NiftiWriter.Write(Path.Combine(folder, "lesions.nii.gz"), lesion);
        }
    }
}
