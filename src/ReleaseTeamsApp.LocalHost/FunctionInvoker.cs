using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.Azure.Functions.Worker;

namespace ReleaseTeamsApp.LocalHost;

/// <summary>Creates a function class from the app's DI container and calls its method, binding what the Functions host would bind.</summary>
internal static class FunctionInvoker
{
    public static async Task<object?> InvokeAsync(MethodInfo method, IServiceProvider services, Func<ParameterInfo, object?> bind)
    {
        var target = method.IsStatic ? null : ActivatorUtilities.GetServiceOrCreateInstance(services, method.DeclaringType!);
        var arguments = method.GetParameters().Select(bind).ToArray();
        object? returned;
        try
        {
            returned = method.Invoke(target, arguments);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }

        if (returned is Task task)
        {
            await task;
            var resultProperty = task.GetType().GetProperty("Result");
            return resultProperty is not null && resultProperty.PropertyType.Name != "VoidTaskResult" ? resultProperty.GetValue(task) : null;
        }

        return returned;
    }

    public static async Task HandleHttpAsync(HttpFunction function, HttpContext context)
    {
        var result = await InvokeAsync(function.Method, context.RequestServices, parameter => parameter.ParameterType switch
        {
            var t when t == typeof(HttpRequest) => context.Request,
            var t when t == typeof(HttpContext) => context,
            var t when t == typeof(CancellationToken) => context.RequestAborted,
            var t when t == typeof(string) => context.GetRouteValue(parameter.Name!)?.ToString(),
            _ => throw new InvalidOperationException($"Function {function.Name}: the local host cannot bind parameter '{parameter.Name}' of type {parameter.ParameterType.Name}."),
        });

        switch (result)
        {
            case IActionResult action:
                await action.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
                break;
            case IResult httpResult:
                await httpResult.ExecuteAsync(context);
                break;
            case null:
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                break;
            default:
                await context.Response.WriteAsJsonAsync(result, context.RequestAborted);
                break;
        }
    }

    public static Task InvokeTimerAsync(TimerFunction function, IServiceProvider services, bool isPastDue, CancellationToken cancellationToken) =>
        InvokeAsync(function.Method, services, parameter => parameter.ParameterType switch
        {
            var t when t == typeof(TimerInfo) => new TimerInfo { IsPastDue = isPastDue },
            var t when t == typeof(CancellationToken) => cancellationToken,
            _ => throw new InvalidOperationException($"Function {function.Name}: the local host cannot bind parameter '{parameter.Name}' of type {parameter.ParameterType.Name}."),
        });

    public static Task InvokeQueueAsync(QueueFunction function, IServiceProvider services, Azure.Storage.Queues.Models.QueueMessage message, CancellationToken cancellationToken) =>
        InvokeAsync(function.Method, services, parameter => parameter.ParameterType switch
        {
            var t when t == typeof(string) => message.Body.ToString(),
            var t when t == typeof(Azure.Storage.Queues.Models.QueueMessage) => message,
            var t when t == typeof(CancellationToken) => cancellationToken,
            _ => throw new InvalidOperationException($"Function {function.Name}: the local host cannot bind parameter '{parameter.Name}' of type {parameter.ParameterType.Name}."),
        });
}
