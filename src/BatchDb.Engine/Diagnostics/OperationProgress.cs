namespace BatchDb.Engine.Diagnostics;

/// <summary>
/// One progress report of a long operation: the activity (for example the file being loaded), what it is
/// doing now, and how far it is (0–100), or -1 when the step's length cannot be known.
/// </summary>
internal sealed record OperationProgress(string Activity, string Status, int PercentComplete);
