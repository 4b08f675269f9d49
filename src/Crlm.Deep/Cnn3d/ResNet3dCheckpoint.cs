using System.Collections;
using System.Globalization;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Crlm.Deep.Cnn3d;

/// <summary>
/// Loads PyTorch weights into a <see cref="ResNet3d"/>: a state_dict saved with torch.save (zip format, PyTorch
/// 1.6 or later) or a .safetensors file, read with TorchSharp.PyBridge.
/// </summary>
public static class ResNet3dCheckpoint
{
    /// <summary>nn.DataParallel's prefix on every key, as in MedicalNet's released checkpoints.</summary>
    public const string DataParallelPrefix = "module.";

    /// <summary>MedicalNet's segmentation head; the encoder ends at layer4, so its weights are dropped on load.</summary>
    public const string SegmentationHeadPrefix = "conv_seg.";

    private const string NumBatchesTracked = ".num_batches_tracked";
    private const int KeysShown = 12;

    /// <summary>
    /// Copies the checkpoint's tensors into <paramref name="model"/>. Accepts a plain state_dict or MedicalNet's
    /// {"state_dict": ...} wrapper, strips "module.", drops "conv_seg.*". Every other key must match in name and
    /// shape, except that batch norms' num_batches_tracked may be absent (PyTorch before 0.4.1 did not save it; it
    /// only matters for training with momentum=None). Throws <see cref="InvalidDataException"/> naming the file and
    /// the missing, unexpected and mis-shaped keys otherwise, and leaves the model untouched then.
    /// </summary>
    public static void Load(ResNet3d model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"ResNet3d checkpoint '{path}' does not exist", path);
        }

        using var scope = NewDisposeScope();
        Dictionary<string, Tensor> source = Normalise(Read(path));
        Dictionary<string, Tensor> target = model.state_dict();

        // Listed in the model's key order (which is MedicalNet's), unexpected ones sorted: PyBridge's unpickler
        // returns a Hashtable, whose order would change the message from run to run.
        var missing = target.Keys.Where(k => !source.ContainsKey(k) && !k.EndsWith(NumBatchesTracked, StringComparison.Ordinal)).ToList();
        var unexpected = source.Keys.Where(k => !target.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var misShaped = target.Keys.Where(k => source.TryGetValue(k, out Tensor? s) && !s.shape.SequenceEqual(target[k].shape))
            .Select(k => $"{k} {Shape(source[k])} (model {Shape(target[k])})")
            .ToList();
        if (missing.Count > 0 || unexpected.Count > 0 || misShaped.Count > 0)
        {
            throw new InvalidDataException(DescribeMismatch(path, model.Architecture, missing, unexpected, misShaped));
        }

        using var noGrad = no_grad();
        foreach ((string key, Tensor value) in source)
        {
            Tensor destination = target[key];
            destination.copy_(value.to(destination.dtype));
        }
    }

    /// <summary>Reads the file's tensors by name; safetensors by extension, torch.save's zip format otherwise.</summary>
    private static Dictionary<string, Tensor> Read(string path)
    {
        if (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
        {
            return Safetensors.LoadStateDict(path);
        }

        Hashtable root;
        try
        {
            root = PyTorchUnpickler.UnpickleStateDict(path);
        }
        catch (Exception ex) when (ex is InvalidDataException or NotImplementedException or NotSupportedException or InvalidCastException or IOException)
        {
            // PyBridge reads only the zip container torch.save writes since PyTorch 1.6 (and only state_dicts).
            throw new InvalidDataException(
                $"ResNet3d checkpoint '{path}' could not be read as a PyTorch state_dict ({ex.GetType().Name}: {ex.Message}). "
                + "Only torch.save's zip format (PyTorch 1.6 or later) and .safetensors are supported; re-save an older file with "
                + "torch.save(torch.load(old), new), and save the state_dict, not the whole model.", ex);
        }

        // MedicalNet saves {"epoch": ..., "state_dict": {...}, "optimizer": ...}.
        IDictionary tensors = root["state_dict"] as IDictionary ?? root;
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in tensors)
        {
            if (entry.Value is Tensor tensor)
            {
                result[(string)entry.Key] = tensor;
            }
            else if (ReferenceEquals(tensors, root))
            {
                throw new InvalidDataException(
                    $"ResNet3d checkpoint '{path}' is not a state_dict: '{entry.Key}' holds a {entry.Value?.GetType().Name ?? "null"}, not a tensor");
            }
        }

        return result;
    }

    private static Dictionary<string, Tensor> Normalise(Dictionary<string, Tensor> raw)
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach ((string rawKey, Tensor value) in raw)
        {
            string key = rawKey.StartsWith(DataParallelPrefix, StringComparison.Ordinal) ? rawKey[DataParallelPrefix.Length..] : rawKey;
            if (!key.StartsWith(SegmentationHeadPrefix, StringComparison.Ordinal))
            {
                result[key] = value;
            }
        }

        return result;
    }

    internal static string DescribeMismatch(string path, ResNet3dArchitecture architecture, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> misShaped)
    {
        var parts = new List<string>();
        if (missing.Count > 0)
        {
            parts.Add($"{missing.Count} missing keys: {List(missing)}");
        }

        if (unexpected.Count > 0)
        {
            parts.Add($"{unexpected.Count} unexpected keys: {List(unexpected)}");
        }

        if (misShaped.Count > 0)
        {
            parts.Add($"{misShaped.Count} keys with another shape: {List(misShaped)}");
        }

        // The usual cause with MedicalNet's files: their ResNet-18/34 use shortcut A (no downsample weights), the
        // others B.
        string hint = string.Empty;
        if (architecture.Shortcut == ResNetShortcut.B && missing.Any(k => k.Contains(".downsample.", StringComparison.Ordinal)) && !unexpected.Any(k => k.Contains(".downsample.", StringComparison.Ordinal)))
        {
            hint = " The checkpoint has no downsample weights: it may have been trained with shortcut A.";
        }
        else if (architecture.Shortcut == ResNetShortcut.A && unexpected.Any(k => k.Contains(".downsample.", StringComparison.Ordinal)))
        {
            hint = " The checkpoint has downsample weights: it may have been trained with shortcut B.";
        }
        else if (misShaped.Count > 0)
        {
            hint = " Check the depth and width.";
        }

        return string.Create(CultureInfo.InvariantCulture, $"ResNet3d checkpoint '{path}' does not fit {architecture}: {string.Join("; ", parts)}.{hint}");
    }

    private static string List(IReadOnlyList<string> keys) =>
        string.Join(", ", keys.Take(KeysShown)) + (keys.Count > KeysShown ? $", ... ({keys.Count - KeysShown} more)" : string.Empty);

    private static string Shape(Tensor t) => "[" + string.Join(", ", t.shape) + "]";
}
