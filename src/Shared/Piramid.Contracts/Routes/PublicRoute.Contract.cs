namespace Piramid.Contracts.Routes;

/// <summary>
/// What a route takes and answers, declared beside its method and path so that docs/openapi.json is generated
/// from the table (src/Shared/Piramid.OpenApi) and cannot drift from it. The body types are the Contracts types
/// the serving process reads and writes; their fields, nullability and docs come from the types themselves.
/// </summary>
public sealed partial class PublicRoute
{
    private readonly List<RouteResponse> _responses = [];
    private readonly List<RouteParameter> _query = [];

    /// <summary>One line saying what the route does (the operation's summary).</summary>
    public string Summary { get; private set; } = string.Empty;

    /// <summary>The request body, or null when the route takes none.</summary>
    public RouteBody? Body { get; private set; }

    /// <summary>The success answers, each with its status and body type (null for an empty body).</summary>
    public IReadOnlyList<RouteResponse> Responses => _responses;

    /// <summary>The query parameters the route reads.</summary>
    public IReadOnlyList<RouteParameter> Query => _query;

    /// <summary>True when a repeated <c>Idempotency-Key</c> replays the first answer instead of acting again.</summary>
    public bool Idempotent { get; private set; }

    internal PublicRoute Describe(string summary)
    {
        Summary = summary;
        return this;
    }

    internal PublicRoute Takes<T>(bool optional = false, string mediaType = "application/json")
    {
        Body = new RouteBody(typeof(T), !optional, mediaType);
        return this;
    }

    internal PublicRoute Returns<T>(int status = 200, string mediaType = "application/json")
    {
        _responses.Add(new RouteResponse(status, typeof(T), mediaType));
        return this;
    }

    internal PublicRoute ReturnsNothing(int status = 204)
    {
        _responses.Add(new RouteResponse(status, null, null));
        return this;
    }

    internal PublicRoute WithQuery<T>(string name, string description)
    {
        _query.Add(new RouteParameter(name, typeof(T), description));
        return this;
    }

    internal PublicRoute AcceptsIdempotencyKey()
    {
        Idempotent = true;
        return this;
    }
}
