// A PostgreSQL driver plugin for SQL Trace Bench, written with HashiCorp's go-plugin and
// database/sql + lib/pq: `stb bench --driver plugin:./stb-go-postgres-plugin --url postgres://…`.
// It serves sqltrace.driver.v1.Driver (../../proto/driver.proto) as a go-plugin gRPC plugin.
package main

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/url"
	"strings"
	"sync"
	"time"

	plugin "github.com/hashicorp/go-plugin"
	"github.com/lib/pq"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	pb "sqltrace/driverpb"
)

// The handshake stb's host expects (packages/plugin-sdk/src/handshake.ts).
var handshake = plugin.HandshakeConfig{
	ProtocolVersion:  1,
	MagicCookieKey:   "STB_DRIVER_PLUGIN",
	MagicCookieValue: "b7e3c3a2-sqltrace-driver",
}

type driverPlugin struct {
	plugin.NetRPCUnsupportedPlugin
}

func (p *driverPlugin) GRPCServer(broker *plugin.GRPCBroker, s *grpc.Server) error {
	pb.RegisterDriverServer(s, &server{})
	return nil
}

func (p *driverPlugin) GRPCClient(ctx context.Context, broker *plugin.GRPCBroker, c *grpc.ClientConn) (interface{}, error) {
	return pb.NewDriverClient(c), nil
}

func main() {
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: handshake,
		Plugins:         map[string]plugin.Plugin{"driver": &driverPlugin{}},
		GRPCServer:      plugin.DefaultGRPCServer,
	})
}

type server struct {
	mu   sync.Mutex
	db   *sql.DB
	host string
}

func (s *server) Configure(ctx context.Context, req *pb.ConfigureRequest) (*pb.ConfigureResponse, error) {
	u, err := url.Parse(req.Url)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return nil, status.Error(codes.InvalidArgument, "expected a postgres:// URL")
	}
	// As node-postgres (stb's own PostgreSQL driver) does: no TLS unless the URL asks for it
	// (lib/pq would require it, and has no libpq-style "prefer").
	if u.Query().Get("sslmode") == "" {
		q := u.Query()
		q.Set("sslmode", "disable")
		u.RawQuery = q.Encode()
	}
	db, err := sql.Open("postgres", u.String())
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	db.SetMaxIdleConns(0)
	s.mu.Lock()
	if s.db != nil {
		s.db.Close()
	}
	s.db, s.host = db, u.Host
	s.mu.Unlock()
	return &pb.ConfigureResponse{Name: "postgres-go", Dialect: "postgres", CanPrepare: true, CanCancel: false}, nil
}

func (s *server) Prepare(ctx context.Context, req *pb.PrepareRequest) (*pb.PrepareResponse, error) {
	for _, statement := range req.Statements {
		if _, err := s.db.ExecContext(ctx, statement); err != nil {
			return nil, status.Error(codes.FailedPrecondition, fmt.Sprintf(`{"message":%q,"code":%q}`, err.Error(), sqlState(err)))
		}
	}
	return &pb.PrepareResponse{}, nil
}

// Session: one connection of the pool held for the stream's life; statements in arrival order.
func (s *server) Session(stream pb.Driver_SessionServer) error {
	ctx := stream.Context()
	conn, err := s.db.Conn(ctx)
	if err == nil {
		err = conn.PingContext(ctx)
	}
	if err != nil {
		return stream.Send(&pb.SessionResponse{Kind: &pb.SessionResponse_Error{Error: &pb.Error{
			Message: fmt.Sprintf("cannot connect to %s: %s", s.host, err.Error()), Code: "08001", ConnectionLost: true,
		}}})
	}
	defer conn.Close()
	if err := stream.Send(&pb.SessionResponse{Kind: &pb.SessionResponse_Opened{Opened: &pb.Opened{}}}); err != nil {
		return err
	}
	for {
		req, err := stream.Recv()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		execute := req.GetExecute()
		if execute == nil {
			continue // Cancel: lib/pq cancels through the context only
		}
		response := &pb.SessionResponse{Id: execute.Id}
		if result, err := run(ctx, conn, execute); err != nil {
			response.Kind = &pb.SessionResponse_Error{Error: toError(err)}
		} else {
			response.Kind = &pb.SessionResponse_Result{Result: result}
		}
		if err := stream.Send(response); err != nil {
			return err
		}
	}
}

// Statements that return rows are queried; the others executed, for their affected-row count.
func returnsRows(sqlText string) bool {
	head := strings.ToLower(strings.TrimLeft(sqlText, " \t\r\n("))
	for _, word := range []string{"select", "with", "values", "show", "table", "explain", "fetch"} {
		if strings.HasPrefix(head, word) {
			return true
		}
	}
	return strings.Contains(strings.ToLower(sqlText), "returning")
}

func run(ctx context.Context, conn *sql.Conn, execute *pb.Execute) (*pb.Result, error) {
	params := make([]interface{}, len(execute.Params))
	for i, p := range execute.Params {
		params[i] = fromValue(p)
	}
	if !returnsRows(execute.Sql) {
		res, err := conn.ExecContext(ctx, execute.Sql, params...)
		if err != nil {
			return nil, err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return &pb.Result{}, nil
		}
		return &pb.Result{RowCount: uint64(n), HasRowCount: true}, nil
	}
	rows, err := conn.QueryContext(ctx, execute.Sql, params...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	columns, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	result := &pb.Result{Columns: columns, HasRows: true}
	cells := make([]interface{}, len(columns))
	pointers := make([]interface{}, len(columns))
	for i := range cells {
		pointers[i] = &cells[i]
	}
	var count uint64
	for rows.Next() {
		if err := rows.Scan(pointers...); err != nil {
			return nil, err
		}
		count++
		if execute.DiscardRows {
			continue
		}
		row := &pb.Row{Values: make([]*pb.Value, len(cells))}
		for i, cell := range cells {
			row.Values[i] = toValue(cell)
		}
		result.Rows = append(result.Rows, row)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	result.RowCount, result.HasRowCount = count, true
	return result, nil
}

func fromValue(v *pb.Value) interface{} {
	switch k := v.GetKind().(type) {
	case *pb.Value_Number:
		if k.Number == math.Trunc(k.Number) && math.Abs(k.Number) < 1<<53 {
			return int64(k.Number)
		}
		return k.Number
	case *pb.Value_Text:
		return k.Text
	case *pb.Value_Boolean:
		return k.Boolean
	case *pb.Value_Bytes:
		return k.Bytes
	default:
		return nil
	}
}

func toValue(cell interface{}) *pb.Value {
	switch c := cell.(type) {
	case nil:
		return &pb.Value{Kind: &pb.Value_Null{Null: true}}
	case int64:
		return &pb.Value{Kind: &pb.Value_Number{Number: float64(c)}}
	case float64:
		return &pb.Value{Kind: &pb.Value_Number{Number: c}}
	case bool:
		return &pb.Value{Kind: &pb.Value_Boolean{Boolean: c}}
	case []byte:
		return &pb.Value{Kind: &pb.Value_Text{Text: string(c)}}
	case string:
		return &pb.Value{Kind: &pb.Value_Text{Text: c}}
	case time.Time:
		return &pb.Value{Kind: &pb.Value_Text{Text: c.Format(time.RFC3339Nano)}}
	default:
		return &pb.Value{Kind: &pb.Value_Text{Text: fmt.Sprint(c)}}
	}
}

func sqlState(err error) string {
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		return string(pqErr.Code)
	}
	return "internal"
}

// The connection is gone: a broken pipe, a closed socket, or the server ending the session
// (57P01 admin shutdown / terminate_backend, 57P02, 57P03, class 08).
func toError(err error) *pb.Error {
	e := &pb.Error{Message: err.Error(), Code: sqlState(err)}
	var netErr net.Error
	switch {
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.As(err, &netErr):
		e.ConnectionLost = true
		if e.Code == "internal" {
			e.Code = "08006"
		}
	case strings.HasPrefix(e.Code, "08"), e.Code == "57P01", e.Code == "57P02", e.Code == "57P03":
		e.ConnectionLost = true
	}
	return e
}
