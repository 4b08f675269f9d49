using System.Globalization;
using System.Text;
using Crlm.Core.Cohort;
using Crlm.Core.Embedding;
using Crlm.Core.IO;
using Crlm.Core.IO.Nifti;
using Crlm.Pipelines.Embedding;
using Crlm.Pipelines.Running;
using Crlm.Pipelines.Specs;

namespace Crlm.Pipelines.Stages;

/// <summary>One scan's embedding by one encoder, with the scan's place in the splits.</summary>
public sealed record ScanEmbedding(ScanRecord Scan, PatientAssignment Assignment, float[] Vector);

/// <summary>
/// Every encoder of the spec over every scan: the encoder's profile decides the box it sees (the preprocess
/// stage's boxes for the 'study' profile, otherwise boxes made here through the same content-keyed cache),
/// and each embedding is stored once in the run cache's <see cref="EmbeddingStore"/> under a key of (box,
/// encoder identity, profile, format), so a second run does no encoder work at all. Writes
/// embeddings/&lt;encoder&gt;.csv (every scan) and embeddings/&lt;encoder&gt;/{train,test}.csv in the peer
/// benchmark's format (patient_id, label 0/1, site, f0..fN; ../shared/peers/fm_benchmark.py reads them as they are).
/// </summary>
public sealed class EmbedStage(IVolumeEncoderFactory? factory) : IPipelineStage
{
    /// <summary>Bumped when the meaning of a stored embedding changes.</summary>
    private const string Format = "crlm-embedding/1";

    public string Name => "embed";

    public string Description => "turn every preprocessed scan into one vector per encoder (cached by content)";

    // Not "preprocess": an encoder makes its own boxes through the same cache when the preprocess stage did not run.
    public IReadOnlyList<string> Needs { get; } = ["cohort", "split"];

    public StageOutcome Run(StageContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var spec = context.Spec;
        if (spec.Encoders.Count == 0)
        {
            throw new StageFailedException("the embed stage has no encoders: list at least one under 'encoders' in the spec (docs/pipelines.md)");
        }

        if (factory is null)
        {
            throw new StageFailedException("this runner was built without encoders (no encoder factory); run the embed stage through `crlm run`");
        }

        var scans = context.State.RequireManifest().Scans;
        var assignments = context.State.RequireSplit().Patients.ToDictionary(p => p.PatientId, StringComparer.Ordinal);
        using var store = new EmbeddingStore(Path.Combine(context.CacheDirectory, "embeddings", EmbeddingStore.FileName));
        int computed = 0;
        var all = new Dictionary<string, IReadOnlyList<ScanEmbedding>>(StringComparer.Ordinal);
        foreach (var encoderSpec in spec.Encoders)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            var boxes = Boxes(context, encoderSpec);
            using var encoder = Create(encoderSpec, spec.Seed);
            var (vectors, fresh) = Embed(context, encoderSpec, encoder, boxes, store);
            computed += fresh;
            foreach (string warning in encoder.Warnings.Distinct(StringComparer.Ordinal))
            {
                context.Observer.Warning(Name, $"{encoderSpec.Name}: {warning}");
            }

            var embeddings = scans.Select((s, n) => new ScanEmbedding(s, assignments[s.PatientId], vectors[n])).ToArray();
            WriteTables(context, encoderSpec.Name, embeddings);
            if (encoder.FeatureNames is { } names)
            {
                WriteFeatureNames(context, encoderSpec.Name, names);
            }
            all[encoderSpec.Name] = embeddings;
            context.Observer.Info(Name, string.Create(CultureInfo.InvariantCulture,
                $"{encoderSpec.Name} ({encoderSpec.Kind.ToString().ToLowerInvariant()}, profile {encoderSpec.Profile.Name}): {encoder.Dimension} features, " +
                $"{fresh} scans encoded, {scans.Count - fresh} reused"));
        }

        context.State.Embeddings = all;
        return computed == 0 ? StageOutcome.Cached : StageOutcome.Completed;
    }

    /// <summary>The content key of one embedding.</summary>
    public static string Key(string boxKey, string encoderIdentity, EncoderProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return ContentHash.OfText(string.Join('\n', Format, "box=" + boxKey, "encoder=" + encoderIdentity, "profile=" + profile.CanonicalText()))[..32];
    }

    private IVolumeEncoder Create(EncoderSpec encoder, long seed)
    {
        try
        {
            return factory!.Create(encoder, seed);
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidOperationException or InvalidDataException or NotSupportedException)
        {
            throw new StageFailedException($"encoder '{encoder.Name}' (spec line {encoder.Line}) could not be made: {e.Message}");
        }
    }

    private IReadOnlyList<PreprocessedScan> Boxes(StageContext context, EncoderSpec encoder)
    {
        if (encoder.UsesStudyPreprocessing && context.State.Preprocessed is { } study)
        {
            return study;
        }

        var (done, errors, _) = PreprocessStage.PreprocessAll(context, encoder.Profile.Preprocess, $"{Name}: {encoder.Name} boxes");
        var failed = errors.OfType<string>().ToArray();
        if (failed.Length > 0)
        {
            throw new StageFailedException(
                $"encoder '{encoder.Name}' (profile {encoder.Profile.Name}): {failed.Length} scan(s) could not be preprocessed:" +
                Environment.NewLine + string.Join(Environment.NewLine, failed.Take(10)));
        }

        return done.Select(d => d!).ToArray();
    }

    private (float[][] Vectors, int Fresh) Embed(
        StageContext context, EncoderSpec spec, IVolumeEncoder encoder, IReadOnlyList<PreprocessedScan> boxes, EmbeddingStore store)
    {
        var keys = boxes.Select(b => Key(b.Key, encoder.Identity, spec.Profile)).ToArray();
        var vectors = keys.Select(k => store.TryGet(k)?.Vector).ToArray();
        var todo = Enumerable.Range(0, boxes.Count).Where(n => vectors[n] is null).ToArray();
        string progress = $"{Name}: {spec.Name}";
        int finished = 0;
        context.Observer.Progress(progress, 0, todo.Length);
        var batches = todo.Chunk(Math.Max(1, encoder.PreferredBatch)).ToArray();
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = encoder.RunsInParallel ? Environment.ProcessorCount : 1,
            CancellationToken = context.Cancellation,
        };
        try
        {
            Parallel.ForEach(batches, parallel, batch => EncodeBatch(batch));
        }
        catch (AggregateException e) when (e.InnerExceptions.FirstOrDefault(x => x is StageFailedException) is { } failure)
        {
            throw failure;
        }

        return (vectors.Select(v => v!).ToArray(), todo.Length);

        void EncodeBatch(int[] batch)
        {
            IReadOnlyList<float[]> outputs;
            try
            {
                outputs = encoder.Encode(batch.Select(n => Load(boxes[n])).ToArray());
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new StageFailedException(
                    $"encoder '{spec.Name}' failed on scan(s) {string.Join(", ", batch.Select(n => $"{boxes[n].Scan.ScanId} (manifest line {boxes[n].Scan.Line})"))}: {e.Message}");
            }

            if (outputs.Count != batch.Length)
            {
                throw new StageFailedException($"encoder '{spec.Name}' returned {outputs.Count} embeddings for {batch.Length} scans");
            }

            for (int b = 0; b < batch.Length; b++)
            {
                int n = batch[b];
                var box = boxes[n];
                var vector = outputs[b];
                if (vector.Length != encoder.Dimension || vector.Any(v => !float.IsFinite(v)))
                {
                    throw new StageFailedException(
                        $"encoder '{spec.Name}' gave scan {box.Scan.ScanId} (manifest line {box.Scan.Line}) " +
                        (vector.Length != encoder.Dimension ? $"{vector.Length} values instead of {encoder.Dimension}" : "non-finite values"));
                }

                var scan = box.Scan;
                store.Put(new StoredEmbedding(keys[n], spec.Name,
                    new EmbeddingScan(scan.ScanId, scan.PatientId, scan.Site, scan.Label.Name(), scan.Phase.Name()), vector));
                vectors[n] = vector;
            }

            context.Observer.Progress(progress, Interlocked.Add(ref finished, batch.Length), todo.Length);
        }
    }

    private static EncoderInput Load(PreprocessedScan box) =>
        new(NiftiReader.Read<float>(box.ImagePath), NiftiReader.Read<byte>(box.LiverMaskPath));

    /// <summary>embeddings/NAME.features.csv: column fN of the tables is the feature named on row N.</summary>
    private static void WriteFeatureNames(StageContext context, string encoder, IReadOnlyList<string> names)
    {
        var text = new StringBuilder("column,feature\n");
        for (int n = 0; n < names.Count; n++)
        {
            text.Append('f').Append(n.ToString(CultureInfo.InvariantCulture)).Append(',').Append(CsvTable.Escape(names[n])).Append('\n');
        }

        AtomicFile.WriteAllText(context.OutputPath(Path.Combine("embeddings", encoder + ".features.csv")), text.ToString());
    }

    private static void WriteTables(StageContext context, string encoder, ScanEmbedding[] embeddings)
    {
        int dim = embeddings.Length == 0 ? 0 : embeddings[0].Vector.Length;
        string features = string.Join(',', Enumerable.Range(0, dim).Select(d => "f" + d.ToString(CultureInfo.InvariantCulture)));
        string Table(IEnumerable<ScanEmbedding> rows)
        {
            var text = new StringBuilder("patient_id,label,site,scan_id,phase,class,set,fold,").Append(features).Append('\n');
            foreach (var e in rows)
            {
                text.Append(CsvTable.Escape(e.Scan.PatientId)).Append(',')
                    .Append(e.Scan.Label == CohortLabel.Crlm ? '1' : '0').Append(',')
                    .Append(CsvTable.Escape(e.Scan.Site)).Append(',')
                    .Append(CsvTable.Escape(e.Scan.ScanId)).Append(',')
                    .Append(e.Scan.Phase.Name()).Append(',')
                    .Append(e.Scan.Label.Name()).Append(',')
                    .Append(e.Assignment.Set == SplitSet.Train ? "train" : "test").Append(',')
                    .Append(e.Assignment.Fold.ToString(CultureInfo.InvariantCulture));
                foreach (float v in e.Vector)
                {
                    text.Append(',').Append(v.ToString("R", CultureInfo.InvariantCulture));
                }

                text.Append('\n');
            }

            return text.ToString();
        }

        AtomicFile.WriteAllText(context.OutputPath(Path.Combine("embeddings", encoder + ".csv")), Table(embeddings));
        AtomicFile.WriteAllText(context.OutputPath(Path.Combine("embeddings", encoder, "train.csv")), Table(embeddings.Where(e => e.Assignment.Set == SplitSet.Train)));
        AtomicFile.WriteAllText(context.OutputPath(Path.Combine("embeddings", encoder, "test.csv")), Table(embeddings.Where(e => e.Assignment.Set == SplitSet.Test)));
    }
}
