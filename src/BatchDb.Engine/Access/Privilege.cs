namespace BatchDb.Engine.Access;

/// <summary>One privilege a capability needs: <see cref="Name"/> (SELECT, USAGE, membership…) on <see cref="Object"/>.</summary>
/// <param name="Object">What it is on, as the engine names it: a table, a schema, a database, a role.</param>
internal sealed record Privilege(BatchCapability Capability, PrivilegeScope Scope, string Name, string Object)
{
    public override string ToString() => Scope switch
    {
        PrivilegeScope.Membership => $"membership in role {Object} (the owner of its tables)",
        PrivilegeScope.Attribute => $"the {Name} attribute",
        PrivilegeScope.Schema => $"{Name} on schema {Object}",
        PrivilegeScope.Database => $"{Name} on database {Object}",
        _ => $"{Name} on {Object}",
    };
}

/// <summary>What kind of object a privilege is on.</summary>
internal enum PrivilegeScope
{
    Table,
    Schema,
    Database,
    Membership,
    Attribute,
}
