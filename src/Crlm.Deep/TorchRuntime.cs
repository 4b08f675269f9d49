using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using TorchSharp;

namespace Crlm.Deep;

/// <summary>
/// The one place that brings up TorchSharp's native backend (libtorch plus libLibTorchSharp).
/// Call <see cref="EnsureAvailable"/> before the first tensor so that a broken native install
/// fails with an explanation instead of a bare TypeInitializationException deep in a model.
/// </summary>
public static class TorchRuntime
{
    /// <summary>Where a portable (RID-less) build puts TorchSharp's native library on Linux.</summary>
    private static readonly string LinuxNativeFolder = Path.Combine("runtimes", "linux-x64", "native");

    private static volatile bool available;

    /// <summary>
    /// Loads TorchSharp's CPU backend. Throws <see cref="InvalidOperationException"/> that says how
    /// to fix the machine or the build when the native libraries cannot be loaded.
    /// </summary>
    public static void EnsureAvailable()
    {
        if (available)
        {
            return;
        }

        ProbeLinuxNativeLibrary();
        try
        {
            // The first touch of the torch class runs its static constructor, which loads the
            // natives; InitializeDeviceType is the documented way to request the CPU backend.
            torch.InitializeDeviceType(DeviceType.CPU);
        }
        catch (Exception ex) when (ex is TypeInitializationException
                                       or DllNotFoundException
                                       or EntryPointNotFoundException
                                       or BadImageFormatException
                                       or NotSupportedException)
        {
            throw new InvalidOperationException(DescribeLoadFailure(ex), ex);
        }

        available = true;
    }

    /// <summary>
    /// One line for logs and reports, e.g. "TorchSharp 0.107.0, libtorch 2.10.0.0, CPU, 2 intra-op
    /// threads, 2 inter-op threads". Loads the backend first (see <see cref="EnsureAvailable"/>).
    /// </summary>
    public static string Describe()
    {
        EnsureAvailable();
        return string.Create(
            CultureInfo.InvariantCulture,
            $"TorchSharp {TorchSharpVersion()}, libtorch {torch.__version__}, CPU, {torch.get_num_threads()} intra-op threads, {torch.get_num_interop_threads()} inter-op threads");
    }

    private static string TorchSharpVersion()
    {
        Assembly assembly = typeof(torch).Assembly;
        string? informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

        // Informational versions may carry "+<commit>"; the package version is the part before it.
        return informational?.Split('+')[0] ?? assembly.GetName().Version?.ToString() ?? "(unknown version)";
    }

    /// <summary>
    /// Loads libLibTorchSharp.so from the application folder before TorchSharp does. Why: when
    /// TorchSharp's own load fails it falls back to copying all of libtorch (~480 MB) into a cpu/
    /// folder next to TorchSharp.dll and reports a misleading "missing package reference"; loading it
    /// here first fails fast with the loader's real reason (e.g. "version `GLIBCXX_3.4.32' not
    /// found"). The handle is kept on purpose: TorchSharp loads the same library next.
    /// </summary>
    private static void ProbeLinuxNativeLibrary()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // A portable build keeps it under runtimes/linux-x64/native/, a RID-specific build or publish
        // in the application folder. If neither has it (e.g. a notebook loading from the package
        // folders), leave the search to TorchSharp.
        string? library = new[]
        {
            Path.Combine(AppContext.BaseDirectory, LinuxNativeFolder, "libLibTorchSharp.so"),
            Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so"),
        }.FirstOrDefault(File.Exists);
        if (library is null)
        {
            return;
        }

        try
        {
            NativeLibrary.Load(library);
        }
        catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException)
        {
            throw new InvalidOperationException(DescribeLoadFailure(ex), ex);
        }
    }

    internal static string DescribeLoadFailure(Exception ex)
    {
        var causes = new List<string>();
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            // The loader's own reason (dlerror) is on the second line of a DllNotFoundException;
            // TorchSharp's exceptions append a long load trace after a one-line summary.
            string[] lines = e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            string message = e is DllNotFoundException ? string.Join(' ', lines) : lines.FirstOrDefault() ?? string.Empty;
            causes.Add($"{e.GetType().Name}: {message}");
        }

        string expected = Path.Combine(AppContext.BaseDirectory, LinuxNativeFolder, "libLibTorchSharp.so");
        string advice = OperatingSystem.IsLinux()
            ? "TorchSharp's libLibTorchSharp.so requires GLIBCXX_3.4.32 (GCC 13's libstdc++). On systems whose "
              + "libstdc++ is older (Debian 12, Ubuntu 22.04) the build patches a copy of it and adds "
              + "libcrlm_glibcxx_shim.so next to it (build/TorchSharpNativeFix.targets). Install the tools it "
              + "needs (apt-get install patchelf g++) and rebuild (dotnet build, or dotnet test / dotnet publish) so "
              + $"that '{expected}' is the patched library; `ldd {expected}` must then print no 'not found'. "
              + "Also check that the application references the libtorch-cpu-linux-x64 package."
            : "Check that the application references TorchSharp's native package for this platform "
              + "(e.g. libtorch-cpu-linux-x64 or TorchSharp-cpu) and rebuild.";

        return "TorchSharp's native libraries could not be loaded (" + string.Join(" -> ", causes) + "). " + advice;
    }
}
