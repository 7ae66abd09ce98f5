# The image the CDK app bundles the function in (cdk deploy runs it; synthesis with -c preprocessBootstrap=DIR skips it).
# Amazon Linux 2023 is what provided.al2023 runs: a Native AOT binary must be linked against a glibc no newer than the
# one it runs on, so building on the runtime's own distribution is the safe choice.
FROM public.ecr.aws/amazonlinux/amazonlinux:2023
RUN dnf install -y clang zlib-devel tar gzip findutils libicu \
 && dnf clean all \
 && curl -fsSL https://dot.net/v1/dotnet-install.sh -o /tmp/dotnet-install.sh \
 && bash /tmp/dotnet-install.sh --channel 10.0 --install-dir /usr/share/dotnet \
 && ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet \
 && rm /tmp/dotnet-install.sh
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_CLI_HOME=/tmp NUGET_PACKAGES=/tmp/nuget
