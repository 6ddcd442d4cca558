// A go-micro v2.9.1 peer for checking the Java mDNS registry against the real thing (see README.md).
//
//	mdnsinterop get <service>            GetService, prints one "node ..." line per node
//	mdnsinterop list                     ListServices, prints "service <name>" lines
//	mdnsinterop register <service> <d>   registers <service>-go1 at 127.0.0.1:6060 for duration d, then deregisters
//	mdnsinterop watch <service> <d>      prints "watch <action> <node id> <address>" for d
package main

import (
	"fmt"
	"os"
	"time"

	"github.com/micro/go-micro/v2/registry"
)

func main() {
	r := registry.NewRegistry()
	switch os.Args[1] {
	case "get":
		svcs, err := r.GetService(os.Args[2])
		fmt.Printf("get err=%v versions=%d\n", err, len(svcs))
		for _, s := range svcs {
			for _, n := range s.Nodes {
				fmt.Printf("node %s %s %s %v endpoints=%d\n", s.Version, n.Id, n.Address, n.Metadata, len(s.Endpoints))
			}
		}
	case "list":
		svcs, err := r.ListServices()
		fmt.Printf("list err=%v\n", err)
		for _, s := range svcs {
			fmt.Printf("service %s\n", s.Name)
		}
	case "register":
		s := &registry.Service{Name: os.Args[2], Version: "latest",
			Endpoints: []*registry.Endpoint{{Name: "Go.Call", Request: &registry.Value{Name: "Req", Type: "Req"}, Metadata: map[string]string{}}},
			Nodes:     []*registry.Node{{Id: os.Args[2] + "-go1", Address: "127.0.0.1:6060", Metadata: map[string]string{"lang": "go"}}}}
		if err := r.Register(s); err != nil {
			fmt.Println("register err", err)
			os.Exit(1)
		}
		fmt.Println("registered")
		d, _ := time.ParseDuration(os.Args[3])
		time.Sleep(d)
		r.Deregister(s)
		fmt.Println("deregistered")
		time.Sleep(500 * time.Millisecond)
	case "watch":
		w, _ := r.Watch()
		d, _ := time.ParseDuration(os.Args[3])
		go func() { time.Sleep(d); w.Stop() }()
		for {
			res, err := w.Next()
			if err != nil {
				return
			}
			if res.Service.Name == os.Args[2] {
				fmt.Printf("watch %s %s %s\n", res.Action, res.Service.Nodes[0].Id, res.Service.Nodes[0].Address)
			}
		}
	}
}
