namespace BatchDb.Engine.Cdc;

/// <summary>What a captured change did to its row; the letter is what the change log's change_operation column holds.</summary>
internal enum ChangeKind
{
    Insert = 'I',
    Update = 'U',
    Delete = 'D',
    Truncate = 'T',
}
