namespace Crlm.Core.Tests.Synthetic;

/// <summary>A fact that runs only when an environment variable is set (opt-in measurements); otherwise it reports as skipped, with the variable to set.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresEnvironmentFactAttribute : FactAttribute
{
    public RequiresEnvironmentFactAttribute(string variable)
    {
        Variable = variable;
        if (Environment.GetEnvironmentVariable(variable) is null)
        {
            Skip = $"opt-in: set {variable} to run";
        }
    }

    public string Variable { get; }
}
