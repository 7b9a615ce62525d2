namespace BatchDb.Engine.Access;

/// <summary>A statement Grant-BatchAccess runs; <see cref="Display"/> is what -WhatIf and the output show (no password verifier).</summary>
internal sealed record GrantStatement(string Sql, string Display)
{
    public GrantStatement(string sql)
        : this(sql, sql)
    {
    }
}
