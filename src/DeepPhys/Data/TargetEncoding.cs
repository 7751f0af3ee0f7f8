namespace DeepPhys.Data;

/// <summary>How <see cref="Dataset{T}.FromCsv"/> turns the target column into target values.</summary>
public enum TargetEncoding
{
    /// <summary>One-hot classes if any target value is not a number, otherwise <see cref="Numeric"/>.</summary>
    Auto,

    /// <summary>One class per distinct value (numeric order when every value is a number, otherwise ordinal), or per listed class; the targets are one-hot rows.</summary>
    OneHot,

    /// <summary>The value itself, one target per sample (regression or a 0/1 binary label).</summary>
    Numeric,
}
