using AcceptD.Cli;

return AcceptdCommand.Invoke(args);
