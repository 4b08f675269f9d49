namespace Crlm.Core.Synthetic;

/// <summary>
/// Which lesions get into the lesion mask. Masks hold metastases only (the detection target of
/// the study); benign lesions are listed in truth.json but never annotated. Sites with complete
/// annotation label every metastasis; the others label at most their cap, picked with probability
/// growing with size (readers outline the conspicuous ones first, but not always the largest).
/// Mask labels 1..K follow lesion id order, i.e. decreasing drawn volume.
/// </summary>
internal static class AnnotationPolicy
{
    /// <summary>Mask label per lesion id (index id - 1); 0 = not annotated.</summary>
    public static int[] Select(IReadOnlyList<SyntheticLesion> lesions, SyntheticSiteProfile site, ref SynthRandom r)
    {
        var chosen = new bool[lesions.Count];
        var metastases = Enumerable.Range(0, lesions.Count).Where(n => lesions[n].Kind == SyntheticLesionKind.Metastasis).ToList();
        if (site.LesionsComplete || metastases.Count <= site.MaxAnnotatedLesions)
        {
            metastases.ForEach(n => chosen[n] = true);
        }
        else
        {
            for (int pick = 0; pick < site.MaxAnnotatedLesions; pick++)
            {
                var weights = metastases.Select(n => Math.Sqrt(lesions[n].NominalVolumeCm3)).ToArray();
                int at = r.Categorical(weights);
                chosen[metastases[at]] = true;
                metastases.RemoveAt(at);
            }
        }

        var labels = new int[lesions.Count];
        int next = 1;
        for (int n = 0; n < lesions.Count; n++)
        {
            labels[n] = chosen[n] ? next++ : 0;
        }

        return labels;
    }
}
