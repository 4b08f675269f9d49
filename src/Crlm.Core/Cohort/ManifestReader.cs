using System.Globalization;

namespace Crlm.Core.Cohort;

/// <summary>The whole manifest file cannot be used (missing, empty, not CSV). Row problems are issues instead.</summary>
public sealed class ManifestFormatException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Reads a cohort manifest (format in docs/manifest.md / PRODUCT.md) and reports every row and
/// column problem at once, instead of stopping at the first: a user fixing a 500-row manifest
/// wants the whole list. Checks here need only the CSV; <see cref="ManifestFileCheck"/> opens the images.
/// </summary>
public static class ManifestReader
{
    public static ManifestReport Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new ManifestFormatException($"{path}: manifest file not found");
        }

        CsvTable table;
        try
        {
            table = CsvTable.Read(fullPath);
        }
        catch (FormatException e)
        {
            throw new ManifestFormatException(e.Message, e);
        }
        catch (IOException e)
        {
            throw new ManifestFormatException($"{path}: cannot read the manifest: {e.Message}", e);
        }

        return Parse(table, fullPath, path);
    }

    /// <summary>Parses an already-read table. <paramref name="displayName"/> is how issues name the file.</summary>
    public static ManifestReport Parse(CsvTable table, string manifestPath, string displayName)
    {
        ArgumentNullException.ThrowIfNull(table);
        var issues = new List<ManifestIssue>();
        var columns = ColumnMap.Build(table.Header, displayName, issues);
        var scans = new List<ScanRecord>();
        var readable = new List<ScanRecord>();
        if (columns is not null)
        {
            string baseDir = Path.GetDirectoryName(Path.GetFullPath(manifestPath)) ?? ".";
            // Cross-row checks see every row that could be read, even one with its own errors, so a
            // duplicate scan_id is reported whatever else is wrong with the row.
            foreach (var row in table.Rows)
            {
                var (scan, usable) = new RowParser(row, columns, baseDir, displayName, issues).Parse();
                if (scan is not null)
                {
                    readable.Add(scan);
                    if (usable)
                    {
                        scans.Add(scan);
                    }
                }
            }

            CrossRowChecks.Run(readable, scans, displayName, issues);
        }

        var ordered = issues.OrderBy(i => i.Line).ToArray();
        return new ManifestReport(new CohortManifest(manifestPath, scans), ordered, readable);
    }

    /// <summary>Where each column sits in the header.</summary>
    private sealed class ColumnMap(Dictionary<string, int> index, IReadOnlyList<(string Name, int Index)> covariates)
    {
        public IReadOnlyList<(string Name, int Index)> Covariates { get; } = covariates;

        public int this[string name] => index[name];

        public static ColumnMap? Build(IReadOnlyList<string> header, string file, List<ManifestIssue> issues)
        {
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            var covariates = new List<(string, int)>();
            for (int c = 0; c < header.Count; c++)
            {
                string name = header[c].Trim().ToLowerInvariant();
                if (name.Length == 0)
                {
                    issues.Add(new(IssueSeverity.Error, file, 1, $"#{c + 1}", "header cell is empty"));
                }
                else if (!index.TryAdd(name, c))
                {
                    issues.Add(new(IssueSeverity.Error, file, 1, name, "column appears twice in the header"));
                }
                else if (!CohortManifest.RequiredColumns.Contains(name))
                {
                    covariates.Add((name, c));
                }
            }

            var missing = CohortManifest.RequiredColumns.Where(r => !index.ContainsKey(r)).ToArray();
            foreach (string m in missing)
            {
                issues.Add(new(IssueSeverity.Error, file, 1, m, "required column is missing from the header"));
            }

            return missing.Length == 0 && !issues.Any(i => i.IsError) ? new ColumnMap(index, covariates) : null;
        }
    }

    /// <summary>Turns one CSV row into a <see cref="ScanRecord"/>, recording every problem it has.</summary>
    private sealed class RowParser(CsvRow row, ColumnMap columns, string baseDir, string file, List<ManifestIssue> issues)
    {
        private bool _fatal;

        /// <summary>The row as a record (null when its cells cannot be aligned) and whether it is free of errors.</summary>
        public (ScanRecord? Scan, bool Usable) Parse()
        {
            int expected = columns.Covariates.Count + CohortManifest.RequiredColumns.Count;
            if (row.Cells.Count != expected)
            {
                Error(null, $"row has {row.Cells.Count} cells but the header has {expected}");
                return (null, false);
            }

            string patient = Required("patient_id");
            string scanId = Required("scan_id");
            string site = Required("site");
            var label = ParseLabel();
            var phase = ParsePhase();
            string image = RequiredPath("image");
            string liver = RequiredPath("liver_mask");
            string? lesion = OptionalPath("lesion_mask");
            bool complete = ParseLesionsComplete(lesion is not null);
            double? age = ParseAge();
            var sex = ParseSex();
            if (label == CohortLabel.Crlm && lesion is null)
            {
                Warn("lesion_mask", "a crlm scan without a lesion mask: detection training and scoring skip it");
            }

            var covariates = columns.Covariates.ToDictionary(c => c.Name, c => row.Cells[c.Index], StringComparer.Ordinal);
            var scan = new ScanRecord(patient, scanId, site, phase, label, image, liver, lesion, complete, age, sex, covariates, row.LineNumber);
            return (scan, !_fatal);
        }

        private string Cell(string column) => row.Cells[columns[column]].Trim();

        private string Required(string column)
        {
            string value = Cell(column);
            if (value.Length == 0)
            {
                Error(column, "value is required but the cell is empty");
            }

            return value;
        }

        private string RequiredPath(string column)
        {
            string value = Required(column);
            return value.Length == 0 ? value : Resolve(value);
        }

        private string? OptionalPath(string column)
        {
            string value = Cell(column);
            return value.Length == 0 ? null : Resolve(value);
        }

        private string Resolve(string relativeOrAbsolute) => Path.GetFullPath(Path.Combine(baseDir, relativeOrAbsolute));

        private CohortLabel ParseLabel()
        {
            string value = Required("label");
            if (value.Length == 0 || CohortVocabulary.TryParseLabel(value, out var label))
            {
                return CohortVocabulary.TryParseLabel(value, out label) ? label : default;
            }

            Error("label", $"unknown label '{value}' (expected one of: {string.Join(", ", CohortVocabulary.LabelNames)})");
            return default;
        }

        private ContrastPhase ParsePhase()
        {
            string value = Cell("phase");
            if (value.Length == 0)
            {
                Warn("phase", "phase is empty; taken as 'unknown'");
                return ContrastPhase.Unknown;
            }

            if (!CohortVocabulary.TryParsePhase(value, out var phase))
            {
                Error("phase", $"unknown phase '{value}' (expected one of: {string.Join(", ", CohortVocabulary.PhaseNames)})");
            }

            return phase;
        }

        private bool ParseLesionsComplete(bool hasLesionMask)
        {
            string value = Cell("lesions_complete");
            if (value.Length == 0)
            {
                if (hasLesionMask)
                {
                    Warn("lesions_complete", "empty; taken as false (lesions may be missing from the mask, so no false-positive counting)");
                }

                return false;
            }

            if (!CohortVocabulary.TryParseFlag(value, out bool complete))
            {
                Error("lesions_complete", $"'{value}' is not a flag (expected true/false, yes/no or 1/0)");
            }

            return complete;
        }

        private double? ParseAge()
        {
            string value = Cell("age");
            if (value.Length == 0)
            {
                return null;
            }

            if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double age)
                || !double.IsFinite(age) || age < 0 || age > 130)
            {
                Error("age", $"'{value}' is not an age in years (a number from 0 to 130)");
                return null;
            }

            return age;
        }

        private PatientSex ParseSex()
        {
            string value = Cell("sex");
            if (!CohortVocabulary.TryParseSex(value, out var sex))
            {
                Error("sex", $"'{value}' is not a sex code (expected F, M or empty)");
            }

            return sex;
        }

        private void Error(string? column, string message)
        {
            _fatal = true;
            issues.Add(new(IssueSeverity.Error, file, row.LineNumber, column, message));
        }

        private void Warn(string column, string message) =>
            issues.Add(new(IssueSeverity.Warning, file, row.LineNumber, column, message));
    }

    /// <summary>Checks that need several rows: unique scan ids, one label and one site per patient.</summary>
    private static class CrossRowChecks
    {
        /// <remarks>
        /// Duplicate ids are looked for among all readable rows; label and site conflicts only among
        /// rows without errors, since a row with an unreadable label would conflict spuriously.
        /// </remarks>
        public static void Run(IReadOnlyList<ScanRecord> readable, IReadOnlyList<ScanRecord> scans, string file, List<ManifestIssue> issues)
        {
            foreach (var group in readable.GroupBy(s => s.ScanId, StringComparer.Ordinal).Where(g => g.Count() > 1))
            {
                int first = group.First().Line;
                foreach (var dup in group.Skip(1))
                {
                    issues.Add(new(IssueSeverity.Error, file, dup.Line, "scan_id", $"duplicate scan_id '{dup.ScanId}' (first on line {first})"));
                }
            }

            foreach (var patient in scans.GroupBy(s => s.PatientId, StringComparer.Ordinal))
            {
                var first = patient.First();
                foreach (var scan in patient.Skip(1))
                {
                    if (scan.Label != first.Label)
                    {
                        issues.Add(new(IssueSeverity.Error, file, scan.Line, "label",
                            $"patient '{scan.PatientId}' has conflicting labels: '{scan.Label.Name()}' here, '{first.Label.Name()}' on line {first.Line}"));
                    }

                    if (!string.Equals(scan.Site, first.Site, StringComparison.Ordinal))
                    {
                        issues.Add(new(IssueSeverity.Error, file, scan.Line, "site",
                            $"patient '{scan.PatientId}' appears at two sites: '{scan.Site}' here, '{first.Site}' on line {first.Line} (splits are per site)"));
                    }

                    if (scan.Sex != first.Sex || scan.Age != first.Age)
                    {
                        issues.Add(new(IssueSeverity.Warning, file, scan.Line, scan.Sex != first.Sex ? "sex" : "age",
                            $"patient '{scan.PatientId}' has different demographics than on line {first.Line}"));
                    }
                }
            }
        }
    }
}
