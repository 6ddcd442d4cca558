module mdnsinterop

go 1.13

require github.com/micro/go-micro/v2 v2.9.1
