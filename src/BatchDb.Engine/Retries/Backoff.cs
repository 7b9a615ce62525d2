namespace BatchDb.Engine.Retries;

/// <summary>Exponential backoff with jitter, shared by lock retries and batch job retries.</summary>
internal static class Backoff
{
    /// <summary>The pause after failed attempt <paramref name="attempt"/> (1-based): doubling from the initial delay, capped, ±20 % jitter.</summary>
    public static TimeSpan Delay(TimeSpan initial, TimeSpan max, int attempt)
    {
        var baseMs = initial.TotalMilliseconds * Math.Pow(2, attempt - 1);
        var cappedMs = Math.Min(baseMs, max.TotalMilliseconds);
        var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
        return TimeSpan.FromMilliseconds(cappedMs * jitter);
    }
}
