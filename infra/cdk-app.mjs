// cdk.json's app: runs the C# CDK app (infra/ChartBuster.Infra), or says in one sentence what to install when the
// .NET SDK is missing, instead of the shell's "dotnet: not found" under the CLI's own messages.
import { spawnSync } from 'node:child_process';

const probe = spawnSync('dotnet', ['--list-sdks'], { encoding: 'utf8' });
if (probe.error || probe.status !== 0 || !/^10\./m.test(probe.stdout)) {
  console.error('The CDK app is written in C#: install the .NET 10 SDK (https://dotnet.microsoft.com/download, or your distribution\'s dotnet-sdk-10.0 package) and run the command again.');
  process.exit(1);
}

const app = spawnSync('dotnet', ['run', '--project', 'infra/ChartBuster.Infra'], { stdio: 'inherit' });
process.exit(app.status ?? 1);
