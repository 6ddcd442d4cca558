// Command go-peer is a go-micro v2.9.1 service and client used only by the Java interop tests.
// It speaks MUCP over the HTTP transport (the mucp server and client, not the gRPC defaults).
//
//	go-peer [-registry mdns|memory|etcd] [-registry_address host:port,...] serve
//	go-peer [-registry mdns|memory] [-address host:port] [-content_type T] [-wait D] call <service> <endpoint> <json>
//	go-peer [-registry mdns|memory] [-address host:port] [-wait D] stream <service> <endpoint> <json>
//	go-peer [-registry mdns|memory] [-wait D] list
//	go-peer [-registry mdns|memory] [-wait D] get <service>
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/golang/protobuf/proto"
	"github.com/micro/go-micro/v2/broker"
	"github.com/micro/go-micro/v2/client"
	"github.com/micro/go-micro/v2/client/mucp"
	"github.com/micro/go-micro/v2/client/selector"
	raw "github.com/micro/go-micro/v2/codec/bytes"
	"github.com/micro/go-micro/v2/errors"
	"github.com/micro/go-micro/v2/logger"
	"github.com/micro/go-micro/v2/registry"
	"github.com/micro/go-micro/v2/registry/etcd"
	"github.com/micro/go-micro/v2/registry/memory"
	"github.com/micro/go-micro/v2/server"
	smucp "github.com/micro/go-micro/v2/server/mucp"
	"github.com/micro/go-micro/v2/transport"
)

const serviceName = "go.micro.srv.goexample"

// HelloRequest and HelloResponse are JSON-tagged structs: go-micro describes them in the registry as value
// trees named after the types, with the json tag names as field names. Their protobuf tags and methods make
// them hand-written protobuf messages too (field 1, string), so Greeter.Hello also serves
// application/protobuf.
type HelloRequest struct {
	Name string `protobuf:"bytes,1,opt,name=name,proto3" json:"name"`
}

func (m *HelloRequest) Reset()         { *m = HelloRequest{} }
func (m *HelloRequest) String() string { return proto.CompactTextString(m) }
func (*HelloRequest) ProtoMessage()    {}

type HelloResponse struct {
	Greeting string `protobuf:"bytes,1,opt,name=greeting,proto3" json:"greeting"`
}

func (m *HelloResponse) Reset()         { *m = HelloResponse{} }
func (m *HelloResponse) String() string { return proto.CompactTextString(m) }
func (*HelloResponse) ProtoMessage()    {}

type CountRequest struct {
	Count int64 `json:"count"`
}

type CountResponse struct {
	Number int64 `json:"number"`
}

// Greeter is registered as handler "Greeter": endpoints Greeter.Hello and Greeter.Count (a stream).
type Greeter struct{}

// Hello answers "Hi <name> from Go"; an empty name is a 400 and the name "boom" a 500, so the Java
// client can check that go-micro errors arrive with their code.
func (g *Greeter) Hello(ctx context.Context, req *HelloRequest, rsp *HelloResponse) error {
	switch req.Name {
	case "":
		return errors.BadRequest(serviceName, "name is required")
	case "boom":
		return errors.InternalServerError(serviceName, "boom requested")
	}
	rsp.Greeting = "Hi " + req.Name + " from Go"
	return nil
}

// Count reads one JSON CountRequest and sends numbers 1..count, then ends the stream.
//
// go-micro v2.9.1's server stream queues each outgoing message on a channel while the message body still
// points into the codec's reused write buffer, so several quick Sends of structs can all go out with the
// last body. Sending pre-encoded raw frames (the server codec passes their bytes through) avoids that bug.
func (g *Greeter) Count(ctx context.Context, stream server.Stream) error {
	req := new(CountRequest)
	if err := stream.Recv(req); err != nil {
		return err
	}
	if req.Count < 0 {
		return errors.BadRequest(serviceName, "count must not be negative")
	}
	for i := int64(1); i <= req.Count; i++ {
		body, err := json.Marshal(&CountResponse{Number: i})
		if err != nil {
			return err
		}
		if err := stream.Send(&raw.Frame{Data: body}); err != nil {
			return err
		}
	}
	return nil
}

func main() {
	registryName := flag.String("registry", "mdns", "registry: mdns, memory or etcd")
	registryAddress := flag.String("registry_address", "", "etcd: comma-separated endpoints (default 127.0.0.1:2379)")
	address := flag.String("address", "", "serve: listen address (default 127.0.0.1:0); call/stream: node address to call directly")
	contentType := flag.String("content_type", "application/json", "call/stream: request content type")
	wait := flag.Duration("wait", 0, "call/stream/get/list: keep trying this long while the service is not found")
	timeout := flag.Duration("timeout", 5*time.Second, "call/stream: request timeout")
	flag.Parse()
	logger.DefaultLogger = logger.NewLogger(logger.WithOutput(os.Stderr), logger.WithLevel(logger.WarnLevel))

	var reg registry.Registry
	switch *registryName {
	case "mdns":
		onlyLoopback()
		reg = registry.NewRegistry()
	case "memory":
		reg = memory.NewRegistry()
	case "etcd":
		var addrs []string
		if *registryAddress != "" {
			addrs = strings.Split(*registryAddress, ",")
		}
		reg = etcd.NewRegistry(registry.Addrs(addrs...))
	default:
		fail("unknown registry %q (mdns or memory)", *registryName)
	}
	// The package defaults point at the mdns registry: make sure nothing falls back to it.
	registry.DefaultRegistry = reg

	args := flag.Args()
	if len(args) == 0 {
		fail("usage: go-peer [flags] serve|call|stream|list|get ...")
	}
	switch args[0] {
	case "serve":
		listen := *address
		if listen == "" {
			listen = "127.0.0.1:0"
		}
		serve(reg, listen)
	case "call":
		if len(args) != 4 {
			fail("usage: go-peer call <service> <endpoint> <json>")
		}
		os.Exit(call(reg, args[1], args[2], args[3], *address, *contentType, *timeout, *wait))
	case "stream":
		if len(args) != 4 {
			fail("usage: go-peer stream <service> <endpoint> <json>")
		}
		os.Exit(stream(reg, args[1], args[2], args[3], *address, *contentType, *timeout, *wait))
	case "list":
		retryUntil(*wait, func() (interface{}, bool, error) {
			services, err := reg.ListServices()
			return services, len(services) > 0, err
		})
	case "get":
		if len(args) != 2 {
			fail("usage: go-peer get <service>")
		}
		retryUntil(*wait, func() (interface{}, bool, error) {
			services, err := reg.GetService(args[1])
			if err == registry.ErrNotFound {
				return services, false, nil
			}
			return services, len(services) > 0, err
		})
	default:
		fail("unknown command %q", args[0])
	}
}

func serve(reg registry.Registry, listen string) {
	brk := broker.NewBroker(broker.Registry(reg))
	srv := smucp.NewServer(
		server.Name(serviceName),
		server.Address(listen),
		server.Registry(reg),
		server.Broker(brk),
		server.Transport(transport.NewTransport()),
		server.RegisterTTL(time.Minute),
		server.RegisterInterval(15*time.Second),
	)
	if err := srv.Handle(srv.NewHandler(&Greeter{})); err != nil {
		fail("handle: %v", err)
	}
	if err := srv.Start(); err != nil {
		fail("start: %v", err)
	}
	opts := srv.Options()
	fmt.Printf("READY id=%s-%s address=%s\n", opts.Name, opts.Id, opts.Address)

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	<-signals
	// Stop deregisters, which sends the mDNS goodbye.
	if err := srv.Stop(); err != nil {
		fail("stop: %v", err)
	}
	fmt.Println("STOPPED")
}

func newClient(reg registry.Registry, contentType string, timeout time.Duration) client.Client {
	return mucp.NewClient(
		client.Registry(reg),
		client.Selector(selector.NewSelector(selector.Registry(reg))),
		client.Transport(transport.NewTransport()),
		client.ContentType(contentType),
		client.RequestTimeout(timeout),
	)
}

func callOptions(address string) []client.CallOption {
	if address == "" {
		return nil
	}
	return []client.CallOption{client.WithAddress(address)}
}

func call(reg registry.Registry, service, endpoint, body, address, contentType string, timeout, wait time.Duration) int {
	request := json.RawMessage(body)
	if !json.Valid(request) {
		fail("request is not valid JSON: %s", body)
	}
	c := newClient(reg, contentType, timeout)
	deadline := time.Now().Add(wait)
	for {
		var response json.RawMessage
		req := c.NewRequest(service, endpoint, &request, client.WithContentType(contentType))
		err := c.Call(context.Background(), req, &response, callOptions(address)...)
		if err == nil {
			fmt.Println(compact(response))
			return 0
		}
		if notFound(err) && time.Now().Before(deadline) {
			time.Sleep(200 * time.Millisecond)
			continue
		}
		printError(err)
		return 1
	}
}

func stream(reg registry.Registry, service, endpoint, body, address, contentType string, timeout, wait time.Duration) int {
	request := json.RawMessage(body)
	if !json.Valid(request) {
		fail("request is not valid JSON: %s", body)
	}
	c := newClient(reg, contentType, timeout)
	deadline := time.Now().Add(wait)
	var s client.Stream
	for {
		var err error
		req := c.NewRequest(service, endpoint, &request, client.WithContentType(contentType), client.StreamingRequest())
		s, err = c.Stream(context.Background(), req, callOptions(address)...)
		if err == nil {
			break
		}
		if notFound(err) && time.Now().Before(deadline) {
			time.Sleep(200 * time.Millisecond)
			continue
		}
		printError(err)
		return 1
	}
	defer s.Close()
	if err := s.Send(&request); err != nil {
		printError(err)
		return 1
	}
	for {
		var response json.RawMessage
		err := s.Recv(&response)
		if err == io.EOF {
			fmt.Println("EOS")
			return 0
		}
		if err != nil {
			printError(err)
			return 1
		}
		fmt.Println(compact(response))
	}
}

// notFound tells whether the selector has not (yet) seen the service; mDNS answers can take a moment.
func notFound(err error) bool {
	parsed := errors.Parse(err.Error())
	return parsed.Code == 500 && parsed.Id == "go.micro.client" && strings.Contains(parsed.Detail, "not found")
}

// printError prints the error as go-micro's parsed error JSON, so the test can read id, code, detail and status.
func printError(err error) {
	out, _ := json.Marshal(errors.Parse(err.Error()))
	fmt.Println(string(out))
}

func retryUntil(wait time.Duration, lookup func() (interface{}, bool, error)) {
	deadline := time.Now().Add(wait)
	for {
		value, found, err := lookup()
		if err != nil {
			fail("registry: %v", err)
		}
		if found || !time.Now().Before(deadline) {
			out, err := json.Marshal(value)
			if err != nil {
				fail("marshal: %v", err)
			}
			fmt.Println(string(out))
			if !found {
				os.Exit(1)
			}
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func compact(raw []byte) string {
	var out bytes.Buffer
	if err := json.Compact(&out, raw); err != nil {
		return string(raw)
	}
	return out.String()
}

// onlyLoopback refuses to run go-micro's mDNS, which binds 0.0.0.0:5353 and multicasts on every interface,
// anywhere but in a network namespace whose only interface that is up is loopback (see README.md).
func onlyLoopback() {
	interfaces, err := net.Interfaces()
	if err != nil {
		fail("cannot list network interfaces: %v", err)
	}
	for _, i := range interfaces {
		if i.Flags&net.FlagUp != 0 && i.Flags&net.FlagLoopback == 0 {
			fail("refusing the mdns registry: interface %s is up; run go-peer with mdns only inside a network namespace with just lo (ip netns exec)", i.Name)
		}
	}
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "go-peer: "+format+"\n", args...)
	os.Exit(2)
}
