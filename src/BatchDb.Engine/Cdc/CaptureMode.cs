namespace BatchDb.Engine.Cdc;

/// <summary>How Receive-ChangeCapture writes the changes into staging.</summary>
public enum CaptureMode
{
    /// <summary>Staging holds the current version of each source row by key: inserts and updates upsert, deletes remove, TRUNCATE empties.</summary>
    Mirror,

    /// <summary>Every change is appended with its operation, commit position, position in the transaction and commit time.</summary>
    ChangeLog,
}
