using Piramid.Contracts.Identity;

namespace Piramid.Contracts.Routes;

/// <summary>
/// One public route: its method and path template (as in docs/openapi.json), the least role that may call it,
/// how it is counted, whether a key limited to collections is held to them on it, and the process that serves it.
/// </summary>
public sealed partial class PublicRoute
{
    // Template segments without their slashes; a parameter is kept with its braces.
    private readonly string[] _segments;

    internal PublicRoute(string name, string method, string template, string? role, UnitKind units, bool collectionScoped, RouteService service)
    {
        Name = name;
        Method = method;
        Template = template;
        Role = role;
        Units = units;
        CollectionScoped = collectionScoped;
        Service = service;
        _segments = template.Split('/', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Stable name, also the engine's endpoint name (<c>points.search</c>).</summary>
    public string Name { get; }

    /// <summary>The HTTP method, upper case.</summary>
    public string Method { get; }

    /// <summary>The path template, parameters in braces (<c>/v1/collections/{name}/search</c>).</summary>
    public string Template { get; }

    /// <summary>The least role that may call the route (<see cref="Roles"/>); null when no credential is needed.</summary>
    public string? Role { get; }

    /// <summary>Read or write: the units billed and the rate bucket drawn from.</summary>
    public UnitKind Units { get; }

    /// <summary>
    /// True when the path names a collection (<c>{name}</c>) that a key limited to collections may only reach
    /// when it is one of them. Listing collections is not scoped: the engine filters the list instead.
    /// </summary>
    public bool CollectionScoped { get; }

    /// <summary>The process that serves the route.</summary>
    public RouteService Service { get; }

    /// <summary>
    /// True when <paramref name="role"/> may call the route. Roles are ordered: <c>read_only</c> &lt;
    /// <c>read_write</c> &lt; <c>admin</c> &lt; <c>platform_admin</c>; an unknown or missing role reaches only
    /// routes that need none.
    /// </summary>
    public bool Admits(string? role) => Role is null || Rank(role) >= Rank(Role);

    /// <summary>
    /// The path segment of the parameter <paramref name="name"/> (without braces), as it is in
    /// <paramref name="path"/> (still escaped), or empty when the route has no such parameter or the path does
    /// not match the template.
    /// </summary>
    public ReadOnlySpan<char> Parameter(ReadOnlySpan<char> path, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var index = -1;
        for (var i = 0; i < _segments.Length; i++)
        {
            var segment = _segments[i].AsSpan();
            if (IsParameter(segment) && segment[1..^1].SequenceEqual(name))
            {
                index = i;
                break;
            }
        }

        var found = ReadOnlySpan<char>.Empty;
        return index >= 0 && Walk(path, index, ref found) ? found : [];
    }

    /// <inheritdoc />
    public override string ToString() => $"{Method} {Template}";

    /// <summary>
    /// True when <paramref name="path"/> (no query string) fits the template, whatever the method: literal
    /// segments equal ignoring case (as routing compares them), each parameter one non-empty segment.
    /// </summary>
    public bool Matches(ReadOnlySpan<char> path)
    {
        var unused = ReadOnlySpan<char>.Empty;
        return Walk(path, -1, ref unused);
    }

    /// <summary>How many segments the template has.</summary>
    internal int SegmentCount => _segments.Length;

    /// <summary>How many segments a path has, as <see cref="Matches"/> splits it (one trailing slash ignored); -1 when it is not absolute.</summary>
    internal static int CountSegments(ReadOnlySpan<char> path)
    {
        if (path.IsEmpty || path[0] != '/')
        {
            return -1;
        }

        if (path.Length > 1 && path[^1] == '/')
        {
            path = path[..^1];
        }

        return path.Length == 1 ? 0 : path.Count('/');
    }

    /// <summary>Literal segments compare before parameters: how ASP.NET routing orders two templates that both fit.</summary>
    internal int ComparePrecedence(PublicRoute other)
    {
        for (var i = 0; i < Math.Min(_segments.Length, other._segments.Length); i++)
        {
            var mine = IsParameter(_segments[i]);
            var theirs = IsParameter(other._segments[i]);
            if (mine != theirs)
            {
                return mine ? 1 : -1;
            }
        }

        return _segments.Length.CompareTo(other._segments.Length);
    }

    // Walks the path's segments against the template without allocating; one trailing slash is accepted, as
    // routing does. When the whole path matches, the segment at `capture` (if any) is returned in `captured`.
    private bool Walk(ReadOnlySpan<char> path, int capture, ref ReadOnlySpan<char> captured)
    {
        if (path.IsEmpty || path[0] != '/')
        {
            return false;
        }

        var rest = path[1..];
        if (!rest.IsEmpty && rest[^1] == '/')
        {
            rest = rest[..^1];
        }

        for (var i = 0; i < _segments.Length; i++)
        {
            if (rest.IsEmpty)
            {
                return false;
            }

            var slash = rest.IndexOf('/');
            var segment = slash < 0 ? rest : rest[..slash];
            var last = i == _segments.Length - 1;
            if (last != (slash < 0))
            {
                return false;
            }

            var template = _segments[i].AsSpan();
            if (IsParameter(template))
            {
                if (segment.IsEmpty)
                {
                    return false;
                }

                if (i == capture)
                {
                    captured = segment;
                }
            }
            else if (!segment.Equals(template, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            rest = slash < 0 ? [] : rest[(slash + 1)..];
        }

        return true;
    }

    private static bool IsParameter(ReadOnlySpan<char> segment) => segment.Length > 2 && segment[0] == '{' && segment[^1] == '}';

    private static int Rank(string? role) => role switch
    {
        Roles.ReadOnly => 1,
        Roles.ReadWrite => 2,
        Roles.Admin => 3,
        Roles.PlatformAdmin => 4,
        _ => 0,
    };
}
