#!/usr/bin/env escript
%% Erlang/OTP's ssh application (Debian's erlang-ssh, OTP 25) as an SSH client or server for cli/dev/record-others.ts.
%% It writes no key log: the engine on the other side does.
%%
%%   escript others_erlang.escript server DIR USER PASSWORD [ALGORITHMS]
%%     A daemon on a free loopback port, host keys from DIR (OpenSSH files ssh_host_*_key), password login, exec
%%     through a direct fun that answers `echo WORDS` (RFC 4254 §6.5). Prints `listening PORT`, serves one
%%     connection, then stops.
%%   escript others_erlang.escript client PORT USER PASSWORD ALGORITHMS COMMAND...
%%     One exec per command; prints `output HEX` and `status N` per command, then `done`.
%% ALGORITHMS is `-` or `kex=a,b;cipher=c;mac=d;public_key=e` (ssh:connect's preferred_algorithms, both directions).
-mode(compile).

main(["server", Dir, User, Password | Rest]) ->
    ok = ssh:start(),
    Self = self(),
    Exec = fun(Command) -> {ok, reply(Command)} end,
    {ok, Daemon} = ssh:daemon({127, 0, 0, 1}, 0, [
        {system_dir, Dir}, {user_passwords, [{User, Password}]}, {exec, {direct, Exec}},
        {connectfun, fun(_, _, _) -> Self ! connected end},
        {disconnectfun, fun(_) -> Self ! disconnected end}
        | algorithms(Rest)]),
    {ok, Info} = ssh:daemon_info(Daemon),
    io:format("listening ~p~n", [proplists:get_value(port, Info)]),
    receive disconnected -> ok after 60000 -> ok end,
    ssh:stop_daemon(Daemon);
main(["client", Port, User, Password, Algorithms | Commands]) ->
    ok = ssh:start(),
    {ok, Connection} = ssh:connect("127.0.0.1", list_to_integer(Port), [
        {user, User}, {password, Password}, {silently_accept_hosts, true}, {save_accepted_host, false},
        {user_interaction, false}, {auth_methods, "password"} | algorithms([Algorithms])], 20000),
    lists:foreach(fun(Command) -> exec(Connection, Command) end, Commands),
    ssh:close(Connection),
    io:format("done~n").

%% What the direct exec fun answers: the words of each `echo`, a line each (an exec reply is one string).
reply(Command) ->
    Parts = [string:trim(P) || P <- string:split(Command, ";", all)],
    lists:append([Words ++ "\n" || "echo " ++ Words <- Parts]).

exec(Connection, Command) ->
    {ok, Channel} = ssh_connection:session_channel(Connection, 20000),
    success = ssh_connection:exec(Connection, Channel, Command, 20000),
    {Output, Status} = collect(Connection, Channel, [], undefined),
    io:format("output ~s~nstatus ~p~n", [binary:encode_hex(iolist_to_binary(Output)), Status]).

collect(Connection, Channel, Output, Status) ->
    receive
        {ssh_cm, Connection, {data, Channel, 0, Data}} -> collect(Connection, Channel, [Output, Data], Status);
        {ssh_cm, Connection, {data, Channel, _, _}} -> collect(Connection, Channel, Output, Status);
        {ssh_cm, Connection, {exit_status, Channel, S}} -> collect(Connection, Channel, Output, S);
        {ssh_cm, Connection, {eof, Channel}} -> collect(Connection, Channel, Output, Status);
        {ssh_cm, Connection, {closed, Channel}} -> {Output, Status}
    after 20000 -> {Output, timeout}
    end.

algorithms(["-"]) -> [];
algorithms([]) -> [];
algorithms([Text]) ->
    Slots = [string:split(Slot, "=") || Slot <- string:split(Text, ";", all)],
    [{preferred_algorithms, [slot(list_to_atom(Name), [list_to_atom(A) || A <- string:split(Names, ",", all)])
                             || [Name, Names] <- Slots]}].

slot(Name, Algorithms) when Name =:= cipher; Name =:= mac; Name =:= compression ->
    {Name, [{client2server, Algorithms}, {server2client, Algorithms}]};
slot(Name, Algorithms) -> {Name, Algorithms}.
