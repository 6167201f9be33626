using ReleaseTeamsApp.Benchmarks.Templating;
using ReleaseTeamsApp.Benchmarks.Ticks;

// One benchmark per first argument; add new ones to this switch.
return args.FirstOrDefault() switch
{
    "templating" => TemplatingBenchmark.Run(),
    "ticks" => await TickBenchmark.RunAsync(),
    "ticks-faults" => await TickBenchmark.RunFaultsAsync(),
    "sweep" => await ReleaseTeamsApp.Benchmarks.Sweep.SweepBenchmark.RunAsync(args[1..]),
    "signals" => await ReleaseTeamsApp.Benchmarks.Signals.SignalBenchmark.RunAsync(),
    "messages" => await ReleaseTeamsApp.Benchmarks.Messages.MessagesBenchmark.RunAsync(),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project benchmarks/ReleaseTeamsApp.Benchmarks -- <benchmark>");
    Console.Error.WriteLine("benchmarks: templating, ticks, ticks-faults, sweep [--price-per-10k <USD>] [--sweeps-per-day <n>], signals, messages");
    return 2;
}
