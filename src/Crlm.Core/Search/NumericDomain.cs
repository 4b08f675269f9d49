namespace Crlm.Core.Search;

/// <summary>
/// A numeric parameter in the coordinates the samplers work in ("internal" space): ln(value) for
/// log parameters, the value itself otherwise; ints are widened by half a step on each side so
/// rounding gives every integer its share. <see cref="Step"/> is 1 for uniform ints (their
/// densities are integrated over [v - 0.5, v + 0.5]) and null for continuous and log parameters.
/// </summary>
internal sealed record NumericDomain(double Low, double High, double? Step, bool Log, bool IsInt, double ExternalLow, double ExternalHigh)
{
    public static NumericDomain Of(ParameterDefinition parameter) => parameter switch
    {
        FloatParameter { Log: true } f => new(Math.Log(f.Low), Math.Log(f.High), null, true, false, f.Low, f.High),
        FloatParameter f => new(f.Low, f.High, null, false, false, f.Low, f.High),
        IntParameter { Log: true } i => new(Math.Log(i.Low - 0.5), Math.Log(i.High + 0.5), null, true, true, i.Low, i.High),
        IntParameter i => new(i.Low - 0.5, i.High + 0.5, 1.0, false, true, i.Low, i.High),
        _ => throw new ArgumentException($"Parameter '{parameter.Name}' is not numeric.", nameof(parameter)),
    };

    /// <summary>Internal coordinate to a parameter value: undo the log, round ints (half to even, as numpy), clamp to the declared range.</summary>
    public double ToExternal(double x)
    {
        double v = Log ? Math.Exp(x) : x;
        if (IsInt)
        {
            v = Math.Round(v, MidpointRounding.ToEven);
        }

        return Math.Clamp(v, ExternalLow, ExternalHigh);
    }

    public double ToInternal(double value) => Log ? Math.Log(value) : value;
}
