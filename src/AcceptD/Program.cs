using AcceptD.Cli;

return AcceptdCommand.Create().Parse(args).Invoke();
