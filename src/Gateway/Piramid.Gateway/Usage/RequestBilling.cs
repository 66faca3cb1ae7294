using System.Globalization;

namespace Piramid.Gateway.Usage;

/// <summary>
/// The units of one proxied tenant request, from the bytes that actually crossed the gateway: a write's body as
/// received (chunked or not, whatever Content-Length claimed), a read's answer as sent. Only what succeeded is
/// billed; a refusal or an outage costs nothing.
/// </summary>
/// <remarks>
/// Units are added before the bytes that cost them reach the client (a write's when its answer starts, since the
/// engine answers only once it has read the body; a read's before each chunk of the answer is written), so a
/// report sent the moment a client has its answer already holds its units.
/// </remarks>
public sealed class RequestBilling
{
    private readonly HttpResponse _response;
    private readonly UsageMeter _meter;
    private readonly string _tenant;
    private readonly bool _write;
    private long _bodyBytes;
    private long _answerBytes;
    private long _readUnitsAdded;

    private RequestBilling(HttpContext context, UsageMeter meter, string tenant, bool write)
    {
        _response = context.Response;
        _meter = meter;
        _tenant = tenant;
        _write = write;
        if (write)
        {
            context.Request.Body = new CountingRequestBody(context.Request.Body, this);
        }
        else
        {
            context.Response.Body = new MeteredResponseBody(context.Response.Body, this);
        }
    }

    /// <summary>Proxy step, the last before the forwarder: meters every data request that got this far.</summary>
    public static Task MeterAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (Forwarding.EngineRequest.Of(context) is { } request)
        {
            Attach(context, context.RequestServices.GetRequiredService<UsageMeter>(), request.TenantId, request.Write);
        }

        return next(context);
    }

    /// <summary>Meters this request for <paramref name="tenant"/>: call before it is forwarded.</summary>
    public static void Attach(HttpContext context, UsageMeter meter, string tenant, bool write)
    {
        ArgumentNullException.ThrowIfNull(context);
        var billing = new RequestBilling(context, meter, tenant, write);
        context.Response.OnStarting(static state => ((RequestBilling)state).OnStarting(), billing);
    }

    /// <summary>Called by the request's stream with the bytes it read (on the forwarder's thread).</summary>
    internal void BodyRead(int count) => Interlocked.Add(ref _bodyBytes, count);

    /// <summary>Called by the answer's stream before it writes <paramref name="count"/> more bytes.</summary>
    internal void BeforeAnswerWrite(int count)
    {
        _answerBytes += count;
        if (_response.StatusCode < 400)
        {
            AddReadUnits(UsageMeter.ReadUnitsFor(_answerBytes));
        }
    }

    /// <summary>Response header with what the answer cost, when it is known as the answer starts.</summary>
    public const string UnitsHeader = "Piramid-Units";

    private Task OnStarting()
    {
        if (_response.StatusCode < 400)
        {
            if (_write)
            {
                var units = UsageMeter.WriteUnitsFor(Interlocked.Read(ref _bodyBytes));
                _meter.Add(_tenant, 0, units);
                _response.Headers[UnitsHeader] = string.Create(CultureInfo.InvariantCulture, $"write={units}");
            }
            else
            {
                // An answer with no body still costs its one unit; one with a body was counted by its first write.
                AddReadUnits(UsageMeter.ReadUnitsFor(_answerBytes));
                if (_response.ContentLength is long length)
                {
                    // A streamed (chunked) answer's size is only known at its end, after the headers have gone.
                    _response.Headers[UnitsHeader] = string.Create(CultureInfo.InvariantCulture, $"read={UsageMeter.ReadUnitsFor(length)}");
                }
            }
        }

        return Task.CompletedTask;
    }

    private void AddReadUnits(long total)
    {
        if (total > _readUnitsAdded)
        {
            _meter.Add(_tenant, total - _readUnitsAdded, 0);
            _readUnitsAdded = total;
        }
    }
}
